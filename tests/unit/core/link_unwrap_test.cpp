#include "core/link_unwrap.h"

#include <gtest/gtest.h>

#include <string>

#include "core/percent_encoding.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

// Percent-encodes every byte but unreserved ones, as Safe Links does.
std::string encode_component(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string safe_link(std::string_view target) {
  return "https://eur02.safelinks.protection.outlook.com/?url=" + encode_component(target) +
         "&data=05%7C01%7Cada%40example.org%7C6f1e%7C72f988bf%7C0%7C0%7C638%7CUnknown&sdata="
         "Zk3%2FqW%3D&reserved=0";
}

TEST(UnwrapLink, SafeLinks) {
  EXPECT_EQ(unwrap_link("https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample."
                        "org%2F%3Frid%3Dabc&data=05%7C01%7Cada%40example.org%7Cc0ffee%7C0%7C0%"
                        "7C638000000000000000&sdata=AbC%2Bd%3D&reserved=0"),
            "https://example.org/?rid=abc");
  EXPECT_EQ(unwrap_link("https://nam12.safelinks.protection.outlook.com/ap/w-59584e83/"
                        "?url=https%3A%2F%2Fcontoso.sharepoint.com%2Fsites%2Fhr&data=05"),
            "https://contoso.sharepoint.com/sites/hr");
  // The target's own escapes survive (Safe Links encoded them as %25..).
  EXPECT_EQ(unwrap_link(safe_link("https://example.net/a%20b?x=%2F")),
            "https://example.net/a%20b?x=%2F");
}

TEST(UnwrapLink, ProofpointV1) {
  EXPECT_EQ(unwrap_link("https://urldefense.proofpoint.com/v1/url?u=http://www.bouncycastle.org/"
                        "&k=oIvRg1%2BdGAgOoM1BIlLLqw%3D%3D%0A&r=IKM5u8%2B%2F%2Fi8%3D%0A&m="
                        "Ww6iaHO73mDQ%3D%0A&s=d3583cfa53dade97"),
            "http://www.bouncycastle.org/");
  EXPECT_EQ(unwrap_link("https://urldefense.proofpoint.com/v1/url?u=https%3A%2F%2Fexample.net%2F"
                        "docs%3Fa%3D1%26b%3D2&k=abc%3D%0A&r=def&m=ghi&s=0123"),
            "https://example.net/docs?a=1&b=2");
}

TEST(UnwrapLink, ProofpointV2DashIsPercentAndUnderscoreIsSlash) {
  EXPECT_EQ(
      unwrap_link("https://urldefense.proofpoint.com/v2/url?u=https-3A__media.example.com_"
                  "assets_images_2016_06_jupiter-2Dnasa.jpg.638x0-5Fq80-5Fcrop-2Dsmart.jpg&"
                  "d=DwMBaQ&c=Vxt5e0Osvvt2gflwSlsJ5DmPGcPvTRKLJyp031rXjhg&r=MujLDFBJstxoxZI&m="
                  "QJGhloAyfD0UZ6n8r6y9dF-khNKqvRAIWDRU&s=ew-rOtBFjiX1Hgv71XQJ5BEgl9T&e="),
      "https://media.example.com/assets/images/2016/06/jupiter-nasa.jpg.638x0_q80_crop-smart."
      "jpg");
  EXPECT_EQ(unwrap_link("https://urldefense.com/v2/url?u=http-3A__example.org_login-3Fnext-3D-252F&"
                        "d=DwMFaQ&c=x&r=y&m=z&s=w&e="),
            "http://example.org/login?next=%2F");
}

TEST(UnwrapLink, ProofpointV3SinglePlaceholders) {
  // "%" and "#" were replaced by "*"; "JSM" is base64url of "%#".
  EXPECT_EQ(unwrap_link("https://urldefense.com/v3/__https://files.example.com/o/owa*2Findex.html?"
                        "alt=media&token=0249*top__;JSM!!Fjc1LPEtn8I!Qp-xY_z5$"),
            "https://files.example.com/o/owa%2Findex.html?alt=media&token=0249#top");
}

TEST(UnwrapLink, ProofpointV3RunsAndMultiByteCharacters) {
  // "**C" takes a run of 4 characters (A=2, B=3, C=4); "JSUlJSM" is "%%%%#".
  EXPECT_EQ(unwrap_link("https://urldefense.com/v3/__https://example.com/p?q=**Cz*x__;JSUlJSM!!"
                        "abc!def$"),
            "https://example.com/p?q=%%%%z#x");
  // One "*" takes one character, however many bytes it has ("w6kj" is "é#").
  EXPECT_EQ(unwrap_link("https://urldefense.com/v3/__https://example.com/caf*/*frag__;w6kj!!a!b$"),
            "https://example.com/caf\xC3\xA9/#frag");
  // No replacements at all.
  EXPECT_EQ(unwrap_link("https://urldefense.com/v3/__https://example.com/plain__;!!G2kpM7uM!xyz$"),
            "https://example.com/plain");
}

TEST(UnwrapLink, ProofpointV3RestoresTheSecondSlash) {
  EXPECT_EQ(unwrap_link("https://urldefense.com/v3/__https:/example.com/x__;!!a!b$"),
            "https://example.com/x");
}

TEST(UnwrapLink, ProofpointV3WithTooFewReplacementsKeepsTheRest) {
  // Two placeholders, one character: the host is still recovered.
  EXPECT_EQ(unwrap_link("https://urldefense.com/v3/__https://example.com/a*b*c__;JQ!!x!y$"),
            "https://example.com/a%b*c");
}

TEST(UnwrapLink, Google) {
  EXPECT_EQ(unwrap_link("https://www.google.com/url?q=https://example.com/page&sa=D&source=editors&"
                        "ust=1700000000000000&usg=AOvVaw0abc"),
            "https://example.com/page");
  EXPECT_EQ(unwrap_link("https://www.google.co.uk/url?sa=t&rct=j&url=https%3A%2F%2Fexample.com%2F"
                        "report.pdf&ved=2ahUKE"),
            "https://example.com/report.pdf");
  // A search term is not a target.
  EXPECT_EQ(unwrap_link("https://www.google.com/url?q=cheap+flights"),
            "https://www.google.com/url?q=cheap+flights");
  // Not Google's redirect: another path, or a host that only starts like it.
  EXPECT_EQ(unwrap_link("https://www.google.com/search?q=https://x.example"),
            "https://www.google.com/search?q=https://x.example");
  EXPECT_EQ(unwrap_link("https://google.evil.example/url?q=https://x.example"),
            "https://google.evil.example/url?q=https://x.example");
}

TEST(UnwrapLink, Barracuda) {
  EXPECT_EQ(unwrap_link("https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fexample.com%2flogin%3f"
                        "u%3d1&c=E,1,Xk3Pq9s_L2vYc-3Rw&typo=1"),
            "https://example.com/login?u=1");
}

TEST(UnwrapLink, TrendMicroClickTime) {
  EXPECT_EQ(unwrap_link("https://imsva91-ctp.trendmicro.com:443/wis/clicktime/v1/query?url=https%"
                        "3a%2f%2fexample.com%2fpath&umid=0a1b2c3d-4e5f-6789-abcd-ef0123456789&auth="
                        "1234abcd-5678"),
            "https://example.com/path");
}

TEST(UnwrapLink, SophosBase64) {
  EXPECT_EQ(
      unwrap_link(
          "https://eu-central-1.protection.sophos.com/?d=example.com&u="
          "aHR0cHM6Ly9leGFtcGxlLmNvbS9sb2dpbg==&i=NWU4&t=bE9i&h=7a1b&s=AVNPUEhUT0NFTkNSWVBUSVbP"),
      "https://example.com/login");
  // Padding percent-encoded, as a mail client may leave it.
  EXPECT_EQ(unwrap_link("https://us-west-2.protection.sophos.com?d=example.com&u="
                        "aHR0cHM6Ly9leGFtcGxlLmNvbS9hP2I9MQ%3D%3D&i=a"),
            "https://example.com/a?b=1");
  // Not base64: left wrapped.
  const std::string broken = "https://eu-central-1.protection.sophos.com/?d=x.com&u=@@@&i=a";
  EXPECT_EQ(unwrap_link(broken), broken);
}

TEST(UnwrapLink, OtherRecoverableWrappers) {
  EXPECT_EQ(unwrap_link("https://secure-web.cisco.com/1Ab9xQ-ZyW_kLmN0pQrS/https%3A%2F%2Fexample."
                        "com%2Fpay%3Fid%3D7"),
            "https://example.com/pay?id=7");
  EXPECT_EQ(unwrap_link("https://protect2.fireeye.com/v1/url?k=3c1e9f4a-63b5a65f&q=1&e=5b2d&u="
                        "https%3A%2F%2Fexample.com%2F"),
            "https://example.com/");
  EXPECT_EQ(unwrap_link("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2F&h=AT0x"),
            "https://example.com/");
}

TEST(UnwrapLink, OpaqueMimecastTokenStays) {
  const std::string mimecast =
      "https://protect-eu.mimecast.com/s/AbCdEfGhIjKlMnOp?domain=example.com";
  EXPECT_EQ(unwrap_link(mimecast), mimecast);
}

TEST(UnwrapLink, PlainLinksStayAndAreTrimmed) {
  EXPECT_EQ(unwrap_link("https://example.org/a?url=https://b.example"),
            "https://example.org/a?url=https://b.example");
  EXPECT_EQ(unwrap_link("  https://example.org/  \n"), "https://example.org/");
  EXPECT_EQ(unwrap_link(""), "");
  EXPECT_EQ(unwrap_link("mailto:ada@example.org"), "mailto:ada@example.org");
}

TEST(UnwrapLink, NestedWrappers) {
  // Safe Links around Proofpoint v2 around Google's redirect.
  EXPECT_EQ(unwrap_link(safe_link("https://urldefense.proofpoint.com/v2/url?u=https-3A__www.google."
                                  "com_url-3Fq-3Dhttps-3A__target.example.net_x&d=DwMFaQ&c=abc")),
            "https://target.example.net/x");
  // Barracuda around Proofpoint v3.
  const std::string v3 = "https://urldefense.com/v3/__https://example.com/a*b__;Iw!!x!y$";
  EXPECT_EQ(unwrap_link("https://linkprotect.cudasvc.com/url?a=" + encode_component(v3) + "&c=E,1"),
            "https://example.com/a#b");
}

TEST(UnwrapLink, PeelsAtMostFiveLayers) {
  std::string url = "https://target.example/";
  std::vector<std::string> layers = {url};
  for (int i = 0; i < 7; ++i) {
    url = safe_link(url);
    layers.push_back(url);
  }
  // Seven layers: five are peeled, two remain.
  EXPECT_EQ(unwrap_link(url), layers[2]);
  EXPECT_EQ(unwrap_link(layers[5]), "https://target.example/");
}

TEST(UnwrapLink, BadPercentEscapesAreKept) {
  EXPECT_EQ(unwrap_link(safe_link("https://example.com/") + "&x=%zz"), "https://example.com/");
  EXPECT_EQ(unwrap_link("https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample."
                        "com%2F%zz%4"),
            "https://example.com/%zz%4");
}

TEST(UnwrapLink, DecodedBytesThatAreNotTextStayEscaped) {
  const std::string target = unwrap_link(
      "https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.com%2F%FF%C3%A9%"
      "0D%0ASet-Cookie%3A%20x%00");
  EXPECT_EQ(target, "https://example.com/%FF\xC3\xA9%0D%0ASet-Cookie: x%00");
  EXPECT_TRUE(is_valid_utf8(target));
}

TEST(UnwrapLink, InvalidUtf8InTheWrapperItself) {
  const std::string wrapped =
      "https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2F"
      "ex\xFF\xFE.com%2F&data=\xC0\xAF";
  const std::string target = unwrap_link(wrapped);
  EXPECT_EQ(target, "https://ex%FF%FE.com/");
  EXPECT_EQ(unwrap_link("\xFF\xFE\xFD"), "\xFF\xFE\xFD");  // not a wrapper: returned as given
}

TEST(UnwrapLink, HugeUrls) {
  const std::string huge = "https://example.com/?" + std::string(100 * 1024, 'a');
  EXPECT_EQ(unwrap_link(huge), huge);
  const std::string huge_wrapped = safe_link(huge);  // over the 64 KiB limit: not looked into
  EXPECT_EQ(unwrap_link(huge_wrapped), huge_wrapped);
  const std::string long_target = "https://example.com/?" + std::string(30 * 1024, 'b');
  EXPECT_EQ(unwrap_link(safe_link(long_target)), long_target);
  const std::string stars = "https://urldefense.com/v3/__https://x.example/" +
                            std::string(60 * 1024, '*') + "__;JQ!!a!b$";
  EXPECT_EQ(unwrap_link(stars).substr(0, 24), "https://x.example/%*****");
}

TEST(UnwrapLink, WrapperWithoutTargetStays) {
  for (const std::string_view url :
       {"https://eur02.safelinks.protection.outlook.com/?data=05", "https://urldefense.com/v3/__",
        "https://urldefense.com/v3/__https://x.example__",
        "https://urldefense.proofpoint.com/v2/url",
        "https://eur02.safelinks.protection.outlook.com/?url=",
        "https://secure-web.cisco.com/abc"}) {
    EXPECT_EQ(unwrap_link(url), url) << url;
  }
}

TEST(QueryParameter, FindsAndDecodesExactNames) {
  const std::string url = "https://x.example/p?a=1&url=https%3A%2F%2Fy.example&b=two+words&c&d=";
  EXPECT_EQ(query_parameter(url, "url"), "https://y.example");
  EXPECT_EQ(query_parameter(url, "a"), "1");
  EXPECT_EQ(query_parameter(url, "b"), "two words");
  EXPECT_EQ(query_parameter(url, "c"), "");
  EXPECT_EQ(query_parameter(url, "d"), "");
  EXPECT_EQ(query_parameter(url, "URL"), std::nullopt);
  EXPECT_EQ(query_parameter(url, "ur"), std::nullopt);
  EXPECT_EQ(query_parameter(url, "e"), std::nullopt);
}

TEST(QueryParameter, FirstOfRepeatsAndNotTheFragment) {
  EXPECT_EQ(query_parameter("https://x.example/?a=1&a=2#b=3", "a"), "1");
  EXPECT_EQ(query_parameter("https://x.example/?a=1#b=3", "b"), std::nullopt);
  EXPECT_EQ(query_parameter("https://x.example/path", "a"), std::nullopt);
  EXPECT_EQ(query_parameter("", "a"), std::nullopt);
}

TEST(QueryParameter, HostileValues) {
  EXPECT_EQ(query_parameter("https://x.example/?a=%zz%4", "a"), "%zz%4");
  EXPECT_EQ(query_parameter("https://x.example/?a=%FF%0A%00", "a"), "%FF%0A%00");
  EXPECT_EQ(query_parameter("https://x.example/?a=%C3%A9", "a"), "\xC3\xA9");
  EXPECT_EQ(query_parameter("https://x.example/?" + std::string(100 * 1024, 'a'), "a"),
            std::nullopt);
}

}  // namespace
}  // namespace phishdrill
