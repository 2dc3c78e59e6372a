// Folded text (core/folded_text.h): case, accents and spacing do not count.
#include "core/folded_text.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

TEST(FoldedText, CaseAccentsAndSpacingDoNotCount) {
  EXPECT_EQ(folded_text("  ÉMILE \t Zola\u00a0"), folded_text("emile zola"));
  EXPECT_EQ(folded_text("Contraseña"), folded_text("CONTRASENA"));
  EXPECT_EQ(folded_text("Łódź"), folded_text("lodz"));
  EXPECT_NE(folded_text("Straße"), folded_text("strasse"));  // ß has no single-letter base
  EXPECT_TRUE(folded_text("   ").empty());
}

TEST(FoldedText, ContainsFindsAWordWhateverItsSpelling) {
  EXPECT_TRUE(folded_contains("Su contraseña de red caduca hoy", "CONTRASEÑA"));
  EXPECT_TRUE(folded_contains("Su contraseña de red caduca hoy", "contrasena  de"));
  EXPECT_TRUE(folded_contains("anything", ""));
  EXPECT_FALSE(folded_contains("Invoice overdue", "factura"));
}

}  // namespace
}  // namespace phishdrill
