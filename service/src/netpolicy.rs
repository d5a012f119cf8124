//! Which addresses `image_url` may reach: only globally routable unicast addresses.
//!
//! Everything else is refused: loopback (the Lambda Runtime API at 127.0.0.1:9001 hands out the
//! next caller's event), link-local (169.254.169.254 metadata, 169.254.170.2 container
//! credentials, fe80::/10), private and CGNAT ranges, unique-local IPv6, multicast, broadcast,
//! unspecified, documentation and benchmarking ranges, and IPv6 forms that embed an IPv4 address
//! (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), which are judged by the embedded address
//! or refused outright.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether an IPv4 address is globally routable unicast.
pub fn ipv4_allowed(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                   // "this network", 0.0.0.0
        || a == 10                             // private
        || a == 127                            // loopback
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 169 && b == 254)              // link-local, cloud metadata
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 0 && c == 0)      // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)      // TEST-NET-1
        || (a == 192 && b == 88 && c == 99)    // 6to4 relay anycast
        || (a == 192 && b == 168)              // private
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || (a == 198 && b == 51 && c == 100)   // TEST-NET-2
        || (a == 203 && b == 0 && c == 113)    // TEST-NET-3
        || a >= 224) // multicast, reserved, broadcast
}

/// Whether an IPv6 address is globally routable unicast (embedded IPv4 judged as IPv4).
pub fn ipv6_allowed(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_allowed(v4);
    }
    // NAT64 well-known prefix 64:ff9b::/96: judge the embedded address.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        return ipv4_allowed(v4);
    }
    // Only 2000::/3 is global unicast; within it, refuse the special blocks.
    if s[0] & 0xe000 != 0x2000 {
        return false; // ::, ::1, IPv4-compatible, 64:ff9b:1::/48, fc00::/7, fe80::/10, ff00::/8, ...
    }
    // 2001::/23 IETF special (Teredo 2001::/32 included) and 2001:db8::/32 documentation.
    !((s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8))
        || s[0] == 0x2002 // 6to4 (embeds any IPv4, private included)
        || (s[0] == 0x3fff && s[1] < 0x1000)) // documentation 3fff::/20
}

/// Whether `ip` may be connected to.
pub fn ip_allowed(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => ipv4_allowed(v4),
        IpAddr::V6(v6) => ipv6_allowed(v6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip literal")
    }

    #[test]
    fn refuses_every_non_global_range() {
        for s in [
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.5",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "169.254.169.254",
            "169.254.170.2",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "192.0.2.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "192.0.0.8",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2001::1",
            "2002:7f00:1::1",
            "::127.0.0.1",
            "100::1",
            "3fff::1",
        ] {
            assert!(!ip_allowed(ip(s)), "{s} must be refused");
        }
    }

    #[test]
    fn allows_global_unicast() {
        for s in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2606:4700::1111",
            "2a00:1450:4001::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(ip_allowed(ip(s)), "{s} must be allowed");
        }
    }
}
