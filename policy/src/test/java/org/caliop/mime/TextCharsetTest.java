package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextCharsetTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "us-ascii", "utf-8", "iso-8859-1", "iso-8859-15", "windows-1252", "koi8-r", "gb18030",
      "shift_jis"})
  void charsetsThatShowArmorAsArmorShouldKeepIt(String charset) {
    assertThat(TextCharset.keepsArmor(charset.isEmpty() ? null : charset)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"utf-7", "utf-16", "utf-16le", "utf-32", "ibm037", "unknown-8bit", "x-no-such", "bad name",
      "iso-2022-jp", "iso-2022-kr", "iso-2022-cn", "x-windows-50220", "csISO2022JP"})
  void charsetsThatShowOtherTextOrAreUnknownShouldNot(String charset) {
    assertThat(TextCharset.keepsArmor(charset)).isFalse();
  }
}
