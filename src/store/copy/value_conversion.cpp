#include "store/copy/value_conversion.h"

#include <charconv>

#include "core/ascii.h"

namespace phishdrill::store_copy {
namespace {

enum class Affinity { kInteger, kText, kBlob, kReal, kNumeric };

// SQLite's rules for a declared type (https://sqlite.org/datatype3.html,
// "Determination Of Column Affinity"), in their order.
Affinity affinity_of(std::string_view declared) {
  const std::string type = ascii_lowercase(declared);
  const auto has = [&type](std::string_view part) { return type.find(part) != std::string::npos; };
  if (has("int")) return Affinity::kInteger;
  if (has("char") || has("clob") || has("text")) return Affinity::kText;
  if (has("blob") || type.empty()) return Affinity::kBlob;
  if (has("real") || has("floa") || has("doub")) return Affinity::kReal;
  return Affinity::kNumeric;
}

std::string_view kind_name(TableValue::Kind kind) {
  switch (kind) {
    case TableValue::Kind::kNull:
      return "NULL";
    case TableValue::Kind::kInteger:
      return "an integer";
    case TableValue::Kind::kReal:
      return "a real number";
    case TableValue::Kind::kText:
      return "text";
    case TableValue::Kind::kBlob:
      return "a blob";
  }
  return "a value";
}

std::unexpected<Error> does_not_fit(const TableValue& value, std::string_view wanted) {
  return fail(ErrorCode::kValidation, "holds " + std::string(kind_name(value.kind)) + " where " +
                                          std::string(wanted) + " belongs");
}

std::string_view integer_text(std::int64_t number, std::string& scratch) {
  scratch.resize(24);
  const auto end = std::to_chars(scratch.data(), scratch.data() + scratch.size(), number).ptr;
  return {scratch.data(), static_cast<std::size_t>(end - scratch.data())};
}

std::string_view real_text(double number, std::string& scratch) {
  scratch.resize(40);
  const auto end = std::to_chars(scratch.data(), scratch.data() + scratch.size(), number).ptr;
  return {scratch.data(), static_cast<std::size_t>(end - scratch.data())};
}

std::string_view bytea_text(std::string_view bytes, std::string& scratch) {
  static constexpr char kHex[] = "0123456789abcdef";
  scratch = "\\x";
  for (const unsigned char c : bytes) {
    scratch += kHex[c >> 4];
    scratch += kHex[c & 15];
  }
  return scratch;
}

}  // namespace

std::optional<Conversion> conversion_between(std::string_view sqlite_type,
                                             std::string_view postgres_type) {
  const Affinity from = affinity_of(sqlite_type);
  const bool whole = from == Affinity::kInteger || from == Affinity::kNumeric;
  if (postgres_type == "bigint" || postgres_type == "integer" || postgres_type == "smallint") {
    return whole ? std::optional(Conversion::kInteger) : std::nullopt;
  }
  if (postgres_type == "boolean") return whole ? std::optional(Conversion::kBoolean) : std::nullopt;
  if (postgres_type == "double precision" || postgres_type == "real") {
    return whole || from == Affinity::kReal ? std::optional(Conversion::kReal) : std::nullopt;
  }
  if (postgres_type == "text" || postgres_type == "character varying") {
    return from == Affinity::kText ? std::optional(Conversion::kText) : std::nullopt;
  }
  if (postgres_type == "bytea") {
    return from == Affinity::kBlob ? std::optional(Conversion::kBytes) : std::nullopt;
  }
  return std::nullopt;
}

Result<std::optional<std::string_view>> postgres_text(Conversion conversion,
                                                      const TableValue& value,
                                                      std::string& scratch) {
  using Kind = TableValue::Kind;
  if (value.kind == Kind::kNull) return std::nullopt;
  switch (conversion) {
    case Conversion::kInteger:
      if (value.kind != Kind::kInteger) return does_not_fit(value, "an integer");
      return integer_text(value.integer, scratch);
    case Conversion::kBoolean:
      if (value.kind != Kind::kInteger || (value.integer != 0 && value.integer != 1)) {
        return value.kind == Kind::kInteger
                   ? fail(ErrorCode::kValidation, "holds " + std::to_string(value.integer) +
                                                      " where a flag (0 or 1) belongs")
                   : does_not_fit(value, "a flag (0 or 1)");
      }
      return std::string_view(value.integer == 1 ? "t" : "f");
    case Conversion::kReal:
      if (value.kind == Kind::kInteger) return integer_text(value.integer, scratch);
      if (value.kind != Kind::kReal) return does_not_fit(value, "a number");
      return real_text(value.real, scratch);
    case Conversion::kText:
      if (value.kind != Kind::kText) return does_not_fit(value, "text");
      return value.bytes;
    case Conversion::kBytes:
      if (value.kind != Kind::kBlob) return does_not_fit(value, "a blob");
      return bytea_text(value.bytes, scratch);
  }
  return fail(ErrorCode::kInternal, "unknown conversion");
}

}  // namespace phishdrill::store_copy
