#include "crypto/sodium.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <vector>

namespace phishdrill::crypto {
namespace {

void ensure_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no safe way to continue without a CSPRNG
  });
}

// libsodium declares most pointer parameters non-null even when the length is
// zero, while an empty std::string_view or std::vector may hold nullptr.
const unsigned char* bytes_of(std::string_view text) {
  static constexpr unsigned char kNone = 0;
  return text.empty() ? &kNone : reinterpret_cast<const unsigned char*>(text.data());
}

std::string to_base64(const unsigned char* data, std::size_t size, int variant) {
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

}  // namespace

std::string random_token(std::size_t bytes) {
  ensure_init();
  std::vector<unsigned char> buffer(bytes);
  if (bytes > 0) randombytes_buf(buffer.data(), buffer.size());
  return to_base64(buffer.data(), buffer.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

Result<std::string> hash_password(std::string_view password) {
  ensure_init();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE + 1,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return fail(ErrorCode::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  ensure_init();
  const std::string hash(encoded_hash);  // needs NUL termination
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string hash_token(std::string_view token) {
  ensure_init();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  ensure_init();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<SecretKey> load_or_create_key(const std::string& path) {
  ensure_init();
  SecretKey key{};
  if (std::ifstream in(path, std::ios::binary); in) {
    in.read(reinterpret_cast<char*>(key.data()), key.size());
    if (in.gcount() != static_cast<std::streamsize>(key.size())) {
      return fail(ErrorCode::kInternal, "secret key file " + path + " is not 32 bytes");
    }
    return key;
  }
  randombytes_buf(key.data(), key.size());
  const mode_t old_mask = umask(077);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  umask(old_mask);
  out.write(reinterpret_cast<const char*>(key.data()), key.size());
  out.close();
  if (!out) return fail(ErrorCode::kInternal, "cannot write secret key file " + path);
  chmod(path.c_str(), 0600);
  return key;
}

std::string seal(const SecretKey& key, std::string_view plaintext) {
  ensure_init();
  std::vector<unsigned char> buffer(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                    plaintext.size());
  unsigned char* nonce = buffer.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, bytes_of(plaintext), plaintext.size(),
                        nonce, key.data());
  return to_base64(buffer.data(), buffer.size(), sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> open(const SecretKey& key, std::string_view sealed) {
  ensure_init();
  std::vector<unsigned char> buffer(sealed.size());
  std::size_t length = 0;
  if (sealed.empty() ||
      sodium_base642bin(buffer.data(), buffer.size(), sealed.data(), sealed.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return fail(ErrorCode::kInternal, "sealed secret is malformed");
  }
  std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 buffer.data() + crypto_secretbox_NONCEBYTES,
                                 length - crypto_secretbox_NONCEBYTES, buffer.data(),
                                 key.data()) != 0) {
    return fail(ErrorCode::kInternal, "sealed secret does not open with this key");
  }
  return plain;
}

std::string keyed_mac(const SecretKey& key, std::string_view domain, std::string_view message) {
  ensure_init();
  crypto_generichash_state state;
  crypto_generichash_init(&state, key.data(), key.size(), 32);
  crypto_generichash_update(&state, bytes_of(domain), domain.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, bytes_of(message), message.size());
  unsigned char out[32];
  crypto_generichash_final(&state, out, sizeof out);
  return to_base64(out, sizeof out, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  ensure_init();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string(hex);
}

}  // namespace phishdrill::crypto
