// libsodium adapters: the CSPRNG, argon2id password hashes, token hashes,
// constant-time comparison, keyed MACs and secretbox encryption of secrets at
// rest. Every function is thread-safe; sodium_init() runs once on first use.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/secret_key.h"

namespace phishdrill::crypto {

// `bytes` random bytes from the CSPRNG, base64url-encoded without padding.
std::string random_token(std::size_t bytes);

// argon2id (libsodium's "moderate-interactive" cost). The result is the
// self-describing encoded string.
Result<std::string> hash_password(std::string_view password);
bool verify_password(std::string_view encoded_hash, std::string_view password);

// Hex SHA-256 of a high-entropy token (session ids, API keys): lookups by
// hash never need the token itself at rest.
std::string hash_token(std::string_view token);

// Constant-time equality (false for different lengths, without early exit on
// content).
bool constant_time_equal(std::string_view a, std::string_view b);

using SecretKey = phishdrill::SecretKey;  // core/secret_key.h

// Loads the 32-byte key from `path`, creating it (mode 0600) with fresh random
// bytes when it does not exist.
Result<SecretKey> load_or_create_key(const std::string& path);

// XSalsa20-Poly1305 with a random nonce; output is base64(nonce || box).
std::string seal(const SecretKey& key, std::string_view plaintext);
Result<std::string> open(const SecretKey& key, std::string_view sealed);

// Keyed BLAKE2b (32 bytes) of `message`, base64url: deterministic tokens such
// as a session's CSRF token derived from its id.
std::string keyed_mac(const SecretKey& key, std::string_view domain, std::string_view message);

// Lower-case hex HMAC-SHA256 of `message` under `key` (webhook signatures).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace phishdrill::crypto
