#include "domain/netmask.h"

#include <gtest/gtest.h>

using namespace huoyan;

TEST(Netmask, NetworksAndAddresses) {
  auto lan = netmask::parse("192.168.1.0/24");
  ASSERT_TRUE(lan);
  EXPECT_TRUE(netmask::contains(*lan, "192.168.1.77"));
  EXPECT_FALSE(netmask::contains(*lan, "192.168.2.1"));
  EXPECT_TRUE(netmask::contains(*lan, "::ffff:192.168.1.9"));  // IPv4-mapped
  EXPECT_FALSE(netmask::contains(*lan, "fe80::1"));
  EXPECT_FALSE(netmask::contains(*lan, "not an address"));

  auto one = netmask::parse("10.0.0.5");
  ASSERT_TRUE(one);
  EXPECT_TRUE(netmask::contains(*one, "10.0.0.5"));
  EXPECT_FALSE(netmask::contains(*one, "10.0.0.6"));

  auto odd = netmask::parse("172.16.0.0/12");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(netmask::contains(*odd, "172.31.255.255"));
  EXPECT_FALSE(netmask::contains(*odd, "172.32.0.0"));

  auto v6 = netmask::parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(netmask::contains(*v6, "2001:db8:1::1"));
  EXPECT_FALSE(netmask::contains(*v6, "2001:db9::1"));
  EXPECT_FALSE(netmask::contains(*v6, "32.1.13.184"));

  auto all = netmask::parse("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_TRUE(netmask::contains(*all, "8.8.8.8"));
}

TEST(Netmask, RefusesWhatIsNotANetwork) {
  for (const char* bad : {"", "300.1.1.1", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8x", "10.0.0.1/8", "abc", "10.0.0.0/-1",
                          "2001:db8::/129", "1.2.3"})
    EXPECT_FALSE(netmask::parse(bad)) << bad;
}
