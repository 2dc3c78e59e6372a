#include "net/multipart_form.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::net {
namespace {

MediaType form_type(std::string_view boundary = "XyZ") {
  auto type = parse_media_type("multipart/form-data; boundary=" + std::string(boundary));
  EXPECT_TRUE(type.has_value());
  return type ? *type : MediaType{};
}

TEST(ParseMediaType, TypeAndParameters) {
  auto type = parse_media_type("Text/CSV; Charset=\"windows-1252\" ; header=present");
  ASSERT_TRUE(type.has_value());
  EXPECT_EQ(type->type, "text/csv");
  EXPECT_EQ(type->parameter("charset"), "windows-1252");
  EXPECT_EQ(type->parameter("header"), "present");
  EXPECT_FALSE(type->parameter("boundary").has_value());
  EXPECT_FALSE(parse_media_type("").has_value());
  EXPECT_FALSE(parse_media_type("text/csv; charset").has_value());
  EXPECT_FALSE(parse_media_type("text/csv; a=\"unterminated").has_value());
}

TEST(ParseMultipartForm, BrowserUploadWithAFileAndAField) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
      "hello\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
      "Content-Type: application/vnd.ms-excel\r\n\r\n"
      "Email\r\na@x.example\r\n--not the boundary\r\n"
      "\r\n--XyZ--\r\n";
  auto parts = parse_multipart_form(form_type(), body);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "note");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[0].body, "hello");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "people.csv");
  EXPECT_EQ((*parts)[1].content_type, "application/vnd.ms-excel");
  EXPECT_EQ((*parts)[1].body, "Email\r\na@x.example\r\n--not the boundary\r\n");
}

TEST(ParseMultipartForm, PreambleAndQuotedBoundary) {
  auto type = parse_media_type("multipart/form-data; boundary=\"a b:c\"");
  ASSERT_TRUE(type.has_value());
  auto parts = parse_multipart_form(*type,
                                    "ignored preamble\r\n--a b:c\r\nContent-Disposition: "
                                    "form-data; name=x\r\n\r\n1\r\n--a b:c--");
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].body, "1");
}

TEST(ParseMultipartForm, MalformedBodiesAreRefused) {
  const std::string_view bad[] = {
      "no boundary at all",
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nnever closed",
      "--XyZ\r\nContent-Type: text/csv\r\n\r\nno disposition\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=f\r\nheaders never end",
      "--XyZgarbage\r\n",
  };
  for (const std::string_view body : bad) {
    auto parts = parse_multipart_form(form_type(), body);
    ASSERT_FALSE(parts.has_value()) << body;
    EXPECT_EQ(parts.error().code, ErrorCode::kBadRequest);
  }
  auto no_boundary = parse_media_type("multipart/form-data");
  ASSERT_TRUE(no_boundary.has_value());
  EXPECT_FALSE(parse_multipart_form(*no_boundary, "--\r\n").has_value());
}

}  // namespace
}  // namespace phishdrill::net
