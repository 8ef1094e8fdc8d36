#include "domain/netmask.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace huoyan::netmask {

namespace {
// An address alone: IPv4, IPv6, or IPv4-mapped IPv6 (then as IPv4).
std::optional<Network> parse_address(std::string_view text) {
  std::string s(text);
  Network n;
  if (inet_pton(AF_INET, s.c_str(), n.bytes.data()) == 1) {
    n.prefix = 32;
    return n;
  }
  if (inet_pton(AF_INET6, s.c_str(), n.bytes.data()) != 1) return std::nullopt;
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(mapped, mapped + 12, n.bytes.begin())) {
    std::copy(n.bytes.begin() + 12, n.bytes.end(), n.bytes.begin());
    std::fill(n.bytes.begin() + 4, n.bytes.end(), 0);
    n.prefix = 32;
    return n;
  }
  n.v6 = true;
  n.prefix = 128;
  return n;
}

bool same_prefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int bits) {
  int whole = bits / 8, rest = bits % 8;
  if (!std::equal(a.begin(), a.begin() + whole, b.begin())) return false;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}
}  // namespace

std::optional<Network> parse(std::string_view text) {
  auto slash = text.find('/');
  auto net = parse_address(text.substr(0, slash));
  if (!net || slash == std::string_view::npos) return net;
  std::string_view bits = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  int max = net->v6 ? 128 : 32;
  if (ec != std::errc() || end != bits.data() + bits.size() || bits.empty() || prefix < 0 || prefix > max) return std::nullopt;
  Network masked = *net;
  // Host bits under the prefix must be zero: compare with the address cut to its prefix.
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(prefix - i * 8, 0, 8);
    masked.bytes[i] &= static_cast<uint8_t>(keep == 0 ? 0 : 0xFF << (8 - keep));
  }
  if (masked.bytes != net->bytes) return std::nullopt;
  net->prefix = prefix;
  return net;
}

bool contains(const Network& net, std::string_view address) {
  auto a = parse_address(address);
  return a && a->v6 == net.v6 && same_prefix(a->bytes, net.bytes, net.prefix);
}

}  // namespace huoyan::netmask
