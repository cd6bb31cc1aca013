package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** What goes into James's extensions-jars: Java 11 bytecode, bundled libraries relocated, James's own left out. */
class PackagedJarsIT {
  private static final int JAVA_11 = 55;
  private static final Path PLUGIN = Path.of(System.getProperty("caliop.james.jar"));
  private static final Path HOOKS = Path.of(System.getProperty("caliop.hooks.jar"));

  @Test
  void everyClassShouldRunOnJava11() throws IOException {
    for (Path jar : List.of(PLUGIN, HOOKS)) {
      try (JarFile file = new JarFile(jar.toFile())) {
        for (JarEntry entry : Collections.list(file.entries())) {
          if (!entry.getName().endsWith(".class")) {
            continue;
          }
          int major = major(file, entry);
          assertThat(major).as(jar.getFileName() + "!" + entry.getName()).isLessThanOrEqualTo(JAVA_11);
          if (entry.getName().startsWith("org/caliop/") && !entry.getName().startsWith("org/caliop/shaded/")) {
            assertThat(major).as(entry.getName()).isEqualTo(JAVA_11);
          }
        }
      }
    }
  }

  @Test
  void pluginJarShouldBundleOnlyOurCodeAndRelocatedLibraries() throws IOException {
    List<String> foreign = new ArrayList<>();
    try (JarFile file = new JarFile(PLUGIN.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("org/caliop/")) {
          foreign.add(name);
        }
      }
      assertThat(file.getEntry("org/caliop/james/mailets/CaliopScore.class")).isNotNull();
      assertThat(file.getEntry("org/caliop/engine/Engine.class")).isNotNull();
      assertThat(file.getEntry("org/caliop/james/smtp/CaliopTlsHook.class")).isNull();
    }
    assertThat(foreign).as("unrelocated classes (James provides mime4j, javax.mail, slf4j)").isEmpty();
  }

  /**
   * The command line runs outside James: neither jar holds it, its key import or picocli, and no class left in them
   * names one of those (which would fail in James with NoClassDefFoundError only when that code path runs).
   */
  @Test
  void jamesJarsShouldHoldNoCommandLine() throws IOException {
    List<String> left = List.of("org/caliop/cli/", "org/caliop/crypto/KeyImport", "picocli/",
        "org/caliop/shaded/picocli/");
    for (Path jar : List.of(PLUGIN, HOOKS)) {
      try (JarFile file = new JarFile(jar.toFile())) {
        for (JarEntry entry : Collections.list(file.entries())) {
          String name = jar.getFileName() + "!" + entry.getName();
          assertThat(left).as(name).noneMatch(entry.getName()::startsWith);
          if (entry.getName().endsWith(".class")) {
            String pool;
            try (InputStream in = file.getInputStream(entry)) {
              // Class names in the constant pool are plain UTF-8 (ASCII here): found by a byte search.
              pool = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertThat(left).as(name + " names a class left out").noneMatch(pool::contains);
          }
        }
      }
    }
  }

  @Test
  void hooksJarShouldHoldOnlyTheSmtpHooks() throws IOException {
    try (JarFile file = new JarFile(HOOKS.toFile())) {
      for (JarEntry entry : Collections.list(file.entries())) {
        if (entry.getName().endsWith(".class")) {
          assertThat(entry.getName()).startsWith("org/caliop/james/smtp/");
        }
      }
      assertThat(file.getEntry("org/caliop/james/smtp/CaliopSmtpPolicyHook.class")).isNotNull();
    }
  }

  private static int major(JarFile file, JarEntry entry) throws IOException {
    try (InputStream in = file.getInputStream(entry); DataInputStream data = new DataInputStream(in)) {
      if (data.readInt() != 0xCAFEBABE) {
        throw new AssertionError("not a class file: " + entry.getName());
      }
      data.readUnsignedShort();
      return data.readUnsignedShort();
    }
  }
}
