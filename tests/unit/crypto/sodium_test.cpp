#include "crypto/sodium.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

namespace phishdrill::crypto {
namespace {

namespace fs = std::filesystem;

bool is_base64url(const std::string& text) {
  for (const unsigned char c : text) {
    if (!std::isalnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

bool is_lower_hex(const std::string& text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

SecretKey key_filled(unsigned char value) {
  SecretKey key;
  key.fill(value);
  return key;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pd_crypto_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(RandomToken, LengthIsBase64urlOfByteCountWithoutPadding) {
  EXPECT_EQ(random_token(32).size(), 43u);
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_EQ(random_token(3).size(), 4u);
  EXPECT_EQ(random_token(1).size(), 2u);
  EXPECT_EQ(random_token(0).size(), 0u);
}

TEST(RandomToken, UsesUrlSafeAlphabetOnly) {
  for (int i = 0; i < 200; ++i) {
    const auto token = random_token(32);
    EXPECT_TRUE(is_base64url(token)) << token;
    EXPECT_EQ(token.find('='), std::string::npos);
  }
}

TEST(RandomToken, TokensAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_token(16));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(PasswordHash, VerifiesRightPasswordAndRejectsWrongOnes) {
  auto hash = hash_password("correct horse battery staple");
  ASSERT_TRUE(hash.has_value()) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(verify_password(*hash, "correct horse battery staple"));
  EXPECT_FALSE(verify_password(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(verify_password(*hash, "Correct horse battery staple"));
  EXPECT_FALSE(verify_password(*hash, ""));
}

TEST(PasswordHash, SaltedSoSamePasswordHashesDifferently) {
  auto a = hash_password("same password 123");
  auto b = hash_password("same password 123");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*b, "same password 123"));
}

TEST(PasswordHash, GarbageHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", ""));
  EXPECT_FALSE(verify_password("not a hash", "not a hash"));
}

TEST(HashToken, IsDeterministicLowerHexSha256) {
  const auto h = hash_token("abc");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_TRUE(is_lower_hex(h));
  EXPECT_EQ(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash_token("abc"), h);
  EXPECT_NE(hash_token("abd"), h);
  EXPECT_EQ(hash_token(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashToken, HandlesEmbeddedNul) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(hash_token(with_nul), hash_token("a"));
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("token", "token"));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal("token", "tokeN"));
  EXPECT_FALSE(constant_time_equal("token", "token2"));
  EXPECT_FALSE(constant_time_equal("", "x"));
  EXPECT_FALSE(constant_time_equal("x", ""));
}

TEST(Seal, RoundTrips) {
  const auto key = key_filled(7);
  for (const std::string& plain : {std::string(), std::string("S3cret-XYZ"),
                                   std::string("ünïcødé \0 bytes", 17), std::string(5000, 'x')}) {
    const auto sealed = seal(key, plain);
    if (!plain.empty()) {
      EXPECT_EQ(sealed.find(plain), std::string::npos);
    }
    auto opened = open(key, sealed);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(*opened, plain);
  }
}

TEST(Seal, UsesFreshNonceEachTime) {
  const auto key = key_filled(1);
  EXPECT_NE(seal(key, "same"), seal(key, "same"));
}

TEST(Seal, DetectsTampering) {
  const auto key = key_filled(2);
  const auto sealed = seal(key, "S3cret-XYZ");
  // Flip one character: in the nonce, in the MAC and in the ciphertext.
  for (std::size_t pos : {std::size_t{5}, std::size_t{40}, sealed.size() / 2}) {
    std::string tampered = sealed;
    tampered[pos] = tampered[pos] == 'A' ? 'B' : 'A';
    auto opened = open(key, tampered);
    EXPECT_FALSE(opened.has_value()) << "position " << pos;
  }
}

TEST(Seal, WrongKeyFails) {
  const auto sealed = seal(key_filled(3), "S3cret-XYZ");
  auto opened = open(key_filled(4), sealed);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kInternal);
}

TEST(Seal, MalformedInputFails) {
  const auto key = key_filled(5);
  EXPECT_FALSE(open(key, "").has_value());
  EXPECT_FALSE(open(key, "not base64 !!!").has_value());
  EXPECT_FALSE(open(key, "AAAA").has_value());  // valid base64, too short
  const auto sealed = seal(key, "x");
  EXPECT_FALSE(open(key, sealed.substr(0, sealed.size() - 4)).has_value());
}

TEST(LoadOrCreateKey, CreatesPrivateFileOf32BytesAndReloadsIt) {
  TempDir dir;
  const auto path = (dir.path() / "secret.key").string();
  auto created = load_or_create_key(path);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(fs::file_size(path), 32u);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.size(), 32u);
  EXPECT_EQ(0, std::memcmp(bytes.data(), created->data(), 32));

  auto reloaded = load_or_create_key(path);
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(*reloaded, *created);
  EXPECT_NE(*created, SecretKey{});  // not all zeroes
}

TEST(LoadOrCreateKey, DifferentFilesGetDifferentKeys) {
  TempDir dir;
  auto a = load_or_create_key((dir.path() / "a.key").string());
  auto b = load_or_create_key((dir.path() / "b.key").string());
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(*a, *b);
}

TEST(LoadOrCreateKey, ShortFileIsAnErrorAndIsNotOverwritten) {
  TempDir dir;
  const auto path = (dir.path() / "short.key").string();
  std::ofstream(path, std::ios::binary) << "too short";
  auto key = load_or_create_key(path);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(fs::file_size(path), 9u);
}

TEST(LoadOrCreateKey, MissingDirectoryIsAnError) {
  TempDir dir;
  auto key = load_or_create_key((dir.path() / "no" / "such" / "dir" / "k").string());
  EXPECT_FALSE(key.has_value());
}

TEST(KeyedMac, DeterministicPerKeyDomainAndMessage) {
  const auto key = key_filled(9);
  const auto mac = keyed_mac(key, "csrf", "session-token");
  EXPECT_EQ(mac.size(), 43u);  // 32 bytes base64url, no padding
  EXPECT_TRUE(is_base64url(mac));
  EXPECT_EQ(keyed_mac(key, "csrf", "session-token"), mac);
  EXPECT_NE(keyed_mac(key, "csrf", "session-tokem"), mac);
  EXPECT_NE(keyed_mac(key_filled(10), "csrf", "session-token"), mac);
}

TEST(KeyedMac, DomainSeparated) {
  const auto key = key_filled(11);
  EXPECT_NE(keyed_mac(key, "csrf", "x"), keyed_mac(key, "unsubscribe", "x"));
  // The separator prevents shifting bytes between domain and message.
  EXPECT_NE(keyed_mac(key, "ab", "c"), keyed_mac(key, "a", "bc"));
  EXPECT_NE(keyed_mac(key, "", "x"), keyed_mac(key, "x", ""));
}

// Found by scripts/sanitize.sh (UBSan): libsodium's parameters are declared
// non-null, and an empty std::string_view{} or vector passed nullptr. Under
// the sanitizers these calls failed; they must work and give the right answers.
TEST(Sodium, EmptyInputsWithNullData) {
  EXPECT_EQ(random_token(0), "");
  EXPECT_EQ(hmac_sha256_hex(std::string_view{}, "payload"),
            "f81a95af381879c33f964c589fa096fa133a07606e9976e547060e7a0ea0f5f3");
  EXPECT_EQ(hmac_sha256_hex(std::string_view{}, "payload"), hmac_sha256_hex("", "payload"));
  const auto key = key_filled(7);
  EXPECT_EQ(keyed_mac(key, std::string_view{}, std::string_view{}), keyed_mac(key, "", ""));
  EXPECT_FALSE(open(key, std::string_view{}).has_value());
  const auto sealed = seal(key, std::string_view{});
  ASSERT_TRUE(open(key, sealed).has_value());
  EXPECT_EQ(*open(key, sealed), "");
}

}  // namespace
}  // namespace phishdrill::crypto
