#include "phish/landing_renderer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/html_tree.h"

namespace phishdrill::phish {
namespace {

constexpr const char* kAction = "https://p.example/?rid=abc";
constexpr const char* kForm =
    "<form action=\"https://p.example/?rid=abc\" method=\"post\" "
    "enctype=\"application/x-www-form-urlencoded\"";

// What a browser would see: every form and submit control of the rewritten
// page, parsed again.
struct Submitter {
  std::string tag;
  std::string action, method, enctype, target;  // "-" when absent
};

std::vector<Submitter> submitters(const std::string& html) {
  const ParsedHtml parsed(html);
  std::vector<Submitter> out;
  auto get = [](const GumboElement& e, const char* name) {
    const char* v = attribute_value(e, name);
    return v == nullptr ? std::string("-") : std::string(v);
  };
  parsed.for_each_element([&](const GumboElement& e) {
    if (is_html(e, GUMBO_TAG_FORM) && e.original_tag.length > 0) {
      out.push_back(
          {"form", get(e, "action"), get(e, "method"), get(e, "enctype"), get(e, "target")});
    } else if ((is_html(e, GUMBO_TAG_BUTTON) || is_html(e, GUMBO_TAG_INPUT)) &&
               (attribute_value(e, "formaction") || attribute_value(e, "formmethod") ||
                attribute_value(e, "formtarget") || attribute_value(e, "formenctype"))) {
      out.push_back({gumbo_normalized_tagname(e.tag), get(e, "formaction"), get(e, "formmethod"),
                     get(e, "formenctype"), get(e, "formtarget")});
    }
  });
  return out;
}

// Every form and submit control posts back, urlencoded, in this window.
void expect_all_post_back(const std::string& out, std::size_t count) {
  const auto found = submitters(out);
  EXPECT_EQ(found.size(), count) << out;
  for (const auto& s : found) {
    EXPECT_EQ(s.action, kAction) << s.tag << " in " << out;
    EXPECT_EQ(s.method, "post") << s.tag << " in " << out;
    EXPECT_EQ(s.enctype, "application/x-www-form-urlencoded") << s.tag << " in " << out;
    EXPECT_EQ(s.target, "-") << s.tag << " in " << out;
  }
}

// The names of the inputs, in order, as a browser parses them.
std::vector<std::string> input_names(const std::string& html) {
  const ParsedHtml parsed(html);
  std::vector<std::string> names;
  parsed.for_each_element([&](const GumboElement& e) {
    if (!is_html(e, GUMBO_TAG_INPUT)) return;
    const char* name = attribute_value(e, "name");
    names.emplace_back(name == nullptr ? "-" : name);
  });
  return names;
}

TEST(RewriteForms, TheReviewedValuelessActionKeepsTheRestOfThePage) {
  const std::string html =
      "<html><body><form action class=\"login\"><input name=user>"
      "<input type=password name=pw><button>Sign in</button></form><p>after</p></body></html>";
  const std::string out = rewrite_forms(html, kAction);
  EXPECT_EQ(out, std::string("<html><body>") + kForm +
                     " class=\"login\"><input name=user><input type=password name=pw>"
                     "<button>Sign in</button></form><p>after</p></body></html>");
  EXPECT_EQ(input_names(out), (std::vector<std::string>{"user", "pw"}));
  expect_all_post_back(out, 1);
}

struct AttributeForm {
  const char* name;
  const char* form;
};

class EveryAttributeForm : public ::testing::TestWithParam<AttributeForm> {};

TEST_P(EveryAttributeForm, PostsBackAndKeepsWhatFollows) {
  const std::string html = std::string("<!doctype html><body><div>") + GetParam().form +
                           "<input name=u><input type=password name=pw></form>"
                           "<p id=after>after</p></div></body>";
  const std::string out = rewrite_forms(html, kAction);
  expect_all_post_back(out, 1);
  EXPECT_EQ(input_names(out), (std::vector<std::string>{"u", "pw"})) << out;
  EXPECT_NE(out.find("<input name=u><input type=password name=pw></form><p id=after>after</p>"
                     "</div></body>"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("evil"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(
    RewriteForms, EveryAttributeForm,
    ::testing::Values(
        AttributeForm{"Valueless", "<form action class=login>"},
        AttributeForm{"ValuelessLast", "<form class=login action>"},
        AttributeForm{"ValuelessMethod", "<form method action=\"https://evil.example/\">"},
        AttributeForm{"Empty", "<form action=\"\" method=''>"},
        AttributeForm{"EmptyUnquoted", "<form action= method=get>"},
        AttributeForm{"Unquoted", "<form action=https://evil.example/x method=get>"},
        AttributeForm{"SingleQuoted", "<form action='https://evil.example/x' method='GET'>"},
        AttributeForm{"UpperCase", "<FORM ACTION=\"https://evil.example/\" METHOD=GET>"},
        AttributeForm{"Duplicated",
                      "<form action=\"https://evil.example/a\" action=\"https://evil.example/b\" "
                      "method=get method=post>"},
        AttributeForm{"EntityEncoded",
                      "<form action=\"https&#58;//evil&period;example/&quot;x\" "
                      "method=&#x67;et>"},
        AttributeForm{"NoAttributes", "<form>"},
        AttributeForm{"SelfClosing", "<form action=\"https://evil.example/\"/>"},
        AttributeForm{"SpacesAndNewlines",
                      "<form\n  action = \"https://evil.example/\"\n\tmethod\n=\nget >"},
        AttributeForm{"TargetAndEnctype",
                      "<form action=\"https://evil.example/\" target=frame1 "
                      "enctype=multipart/form-data accept-charset=ISO-8859-1>"},
        AttributeForm{"Attributes with markup",
                      "<form data-x=\"a>b\" action=\"https://evil.example/\">"}),
    [](const auto& param_info) {
      std::string name = param_info.param.name;
      std::erase(name, ' ');
      return name;
    });

TEST(RewriteForms, KeepsOtherAttributesEscaped) {
  const std::string out =
      rewrite_forms("<form id=f class=\"a &amp; b\" data-v='say \"hi\"'></form>", kAction);
  EXPECT_EQ(out, std::string(kForm) +
                     " id=\"f\" class=\"a &amp; b\" data-v=\"say &quot;hi&quot;\"></form>");
}

TEST(RewriteForms, EscapesTheActionUrl) {
  const std::string out = rewrite_forms("<form></form>", "https://p.example/?a=1&rid=\"x");
  EXPECT_NE(out.find("action=\"https://p.example/?a=1&amp;rid=&quot;x\""), std::string::npos)
      << out;
}

TEST(RewriteForms, FormsInTablesAndTemplates) {
  const std::string html =
      "<table><form action=\"https://evil.example/1\"><tr><td><input name=a></td></tr></form>"
      "</table><template><form action=\"https://evil.example/2\"><input name=b></form>"
      "</template>";
  const std::string out = rewrite_forms(html, kAction);
  expect_all_post_back(out, 2);
  EXPECT_EQ(out.find("evil"), std::string::npos) << out;
}

TEST(RewriteForms, ANestedFormIsIgnoredByTheBrowserAndLeftAlone) {
  // The browser drops a <form> inside a form; what it submits is the outer one.
  const std::string out = rewrite_forms(
      "<form action=\"https://evil.example/1\"><form action=x><input name=a></form>", kAction);
  expect_all_post_back(out, 1);
  EXPECT_EQ(out.find("evil"), std::string::npos) << out;
}

TEST(RewriteForms, ImpliedAndLookAlikeFormsAreIgnored) {
  // No <form> in the source: nothing to rewrite; an SVG "form" is not a form.
  EXPECT_EQ(rewrite_forms("<p><input name=a></p>", kAction), "<p><input name=a></p>");
  const std::string svg = "<svg><form action=x></form></svg>";
  EXPECT_EQ(rewrite_forms(svg, kAction), svg);
}

TEST(RewriteForms, SubmitControlsCannotPostElsewhere) {
  const std::string html =
      "<form id=f><input name=u>"
      "<button formaction=\"https://evil.example/\">a</button>"
      "<button FORMMETHOD=get>b</button>"
      "<input type=submit formtarget=_blank value=c>"
      "<input type=image src=x.png formenctype=multipart/form-data>"
      "<button formaction>d</button><button>plain</button></form>"
      "<button form=f formaction=https://evil.example/ formtarget=w>outside</button>";
  const std::string out = rewrite_forms(html, kAction);
  expect_all_post_back(out, 7);  // the form, five buttons/inputs and the one outside it
  EXPECT_EQ(out.find("evil"), std::string::npos) << out;
  EXPECT_NE(out.find("<button>plain</button>"), std::string::npos) << out;
  EXPECT_NE(out.find(" form=\"f\">outside</button>"), std::string::npos) << out;
}

// Regression (found by landing_rewrite_fuzz): gumbo, parsing with its error
// list off, reads the attribute after a duplicate glued onto it ("x x
// formaction=" as "xformaction"), so the renderer left a browser's formaction
// pointing away. Such a page is now refused (served empty), and one with an
// ordinary duplicate is still rewritten.
TEST(RewriteForms, AControlAttributeAfterADuplicateFailsClosed) {
  for (const std::string html :
       {"<form><button x x formaction=\"https://evil.example/\">a</button></form>",
        "<form><input type=submit y y formmethod=get></form>"}) {
    EXPECT_EQ(rewrite_forms(html, kAction), "<!doctype html><title></title>") << html;
  }
  const std::string last =
      "<form><button formaction=\"https://evil.example/\" x x>a</button></form>";
  const std::string out = rewrite_forms(last, kAction);
  expect_all_post_back(out, 2);
  EXPECT_EQ(out.find("evil"), std::string::npos) << out;
}

TEST(RewriteForms, InputsOutsideTheirFormJoinARewrittenForm) {
  // form="id" joins the first element with that id; every form is rewritten,
  // and an id naming no form (a div) makes the input submit nowhere.
  const std::string html =
      "<div id=d></div><form id=f action=\"https://evil.example/\"></form>"
      "<input form=f type=password name=pw><input form=d name=x>";
  const std::string out = rewrite_forms(html, kAction);
  expect_all_post_back(out, 1);
  EXPECT_NE(out.find("<input form=f type=password name=pw><input form=d name=x>"),
            std::string::npos);
}

TEST(RewriteForms, InlineFrameDocumentsAreRemoved) {
  const std::string out = rewrite_forms(
      "<iframe srcdoc=\"<form action=https://evil.example/><input name=pw></form>\" "
      "name=w></iframe>",
      kAction);
  EXPECT_EQ(out, "<iframe name=\"w\"></iframe>");
}

TEST(RewriteForms, NoscriptIsReadAsABrowserWithScriptsReadsIt) {
  // gumbo reads <noscript> content as markup (scripting off): here a <p> with
  // a title. A browser with scripting on reads raw text up to "</noscript"
  // and then a live form. The rewritten page must mean the same to both.
  const std::string html =
      "<body><noscript><p title=\"</noscript><form action=https://evil.example/>"
      "<input type=password name=pw>\">x</p></noscript><p>end</p>";
  const std::string out = rewrite_forms(html, kAction);
  expect_all_post_back(out, 1);
  EXPECT_EQ(out.find("evil"), std::string::npos) << out;
  EXPECT_NE(out.find("<noscript></noscript>"), std::string::npos) << out;
  EXPECT_NE(out.find("<input type=password name=pw>"), std::string::npos) << out;
}

TEST(RewriteForms, FailsClosedOnAPageItCannotReadSafely) {
  std::string many;
  for (int i = 0; i < 101; ++i) many += "<noscript></noscript>";
  EXPECT_EQ(rewrite_forms(many + "<form></form>", kAction), "<!doctype html><title></title>");
}

TEST(RewriteForms, AddsABaseForRelativeResources) {
  const std::string out = rewrite_forms(
      "<!doctype html><html><head><title>t</title></head><body><img src=logo.png></body></html>",
      kAction, "https://login.example.com/portal/");
  EXPECT_NE(out.find("<head><base href=\"https://login.example.com/portal/\"><title>"),
            std::string::npos)
      << out;
}

TEST(RewriteForms, KeepsAnExistingBaseAndHandlesHeadlessPages) {
  const std::string with_base = "<html><head><base href=\"/x/\"></head></html>";
  EXPECT_EQ(rewrite_forms(with_base, kAction, "https://a.example/"), with_base);
  const std::string fragment = "<!doctype html><p>hello <img src=a.png>";
  const std::string out = rewrite_forms(fragment, kAction, "https://a.example/");
  EXPECT_EQ(out, "<!doctype html><base href=\"https://a.example/\"><p>hello <img src=a.png>");
  EXPECT_EQ(rewrite_forms(fragment, kAction), fragment);
}

TEST(RewriteForms, HeadInsertGoesAfterTheBaseEvenBeforeARewrittenForm) {
  EXPECT_EQ(rewrite_forms("<head><title>t</title>", kAction, "https://a.example/", "[S]"),
            "<head><base href=\"https://a.example/\">[S]<title>t</title>");
  EXPECT_EQ(rewrite_forms("<html><form></form>", kAction, {}, "[S]"),
            std::string("<html>[S]") + kForm + "></form>");
}

}  // namespace
}  // namespace phishdrill::phish
