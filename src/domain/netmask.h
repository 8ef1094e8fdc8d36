#pragma once
// IP networks ("10.1.0.0/16", "192.168.1.5", "2001:db8::/32") and whether an address lies in one: the security
// policy's list of addresses that management accounts may sign in from.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace huoyan::netmask {

struct Network {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first four
  int prefix = 0;                   // bits that must match
};

// A network, or an address (a /32 or /128); nullopt when it is neither. Host bits set under the prefix are refused
// ("10.0.0.1/8"), since they usually mean a typo.
std::optional<Network> parse(std::string_view text);
// `address` (as the server saw it; an IPv4-mapped IPv6 address counts as IPv4) lies in `net`.
bool contains(const Network& net, std::string_view address);

}  // namespace huoyan::netmask
