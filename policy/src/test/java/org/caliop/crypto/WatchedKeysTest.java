package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptionResult.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys dropped into keys_dir are used without a policy reload; a reading that fails or brings a broken or secret
 * file keeps the keys in force. Time is a counter the test moves, never the clock.
 */
class WatchedKeysTest {
  private static final byte[] MESSAGE = ("From: a@example.org\r\nTo: alice@example.org, bob@example.net\r\n"
      + "Subject: hi\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path tmp;
  Path keys;
  final AtomicLong nanos = new AtomicLong();
  final List<Boolean> reloads = new ArrayList<>();
  WatchedKeys watched;

  @BeforeEach
  void start() throws IOException {
    keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    watched = WatchedKeys.open(EncryptionSettings.of(keys, null), GatewayEncryptorTest.NOW, Duration.ofSeconds(2),
        nanos::get, reloads::add);
  }

  private Status encryptToBob() throws IOException {
    return watched.encrypt(new ByteArrayInputStream(MESSAGE), List.of("bob@example.net"),
        EncryptOptions.of(Format.PGP, null), new ByteArrayOutputStream()).status();
  }

  private void later() {
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
  }

  /** Writes by rename, as an admin's cp to a temporary name and mv, or a configuration manager, does. */
  private void put(String fixture, String name) throws IOException {
    Path part = keys.resolve(".part");
    Files.copy(Tools.PGP_FIXTURES.resolve(fixture), part, StandardCopyOption.REPLACE_EXISTING);
    Files.move(part, keys.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aKeyAddedShouldBeUsedWithoutAPolicyReload() throws IOException {
    assertThat(encryptToBob()).isEqualTo(Status.MISSING_KEYS);
    put("bob-public.asc", "bob-public.asc");
    // Within the interval the directory is not looked at.
    assertThat(encryptToBob()).isEqualTo(Status.MISSING_KEYS);
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    assertThat(reloads).containsExactly(true);
    // Nothing changed: nothing read again.
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    assertThat(reloads).containsExactly(true);
  }

  @Test
  void aKeyRemovedShouldNoLongerBeUsed() throws IOException {
    put("bob-public.asc", "bob-public.asc");
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    Files.delete(keys.resolve("bob-public.asc"));
    later();
    assertThat(encryptToBob()).isEqualTo(Status.MISSING_KEYS);
    assertThat(reloads).containsExactly(true, true);
  }

  @Test
  void aBrokenFileShouldKeepTheKeysInForceUntilItIsMended() throws IOException {
    put("bob-public.asc", "bob-public.asc");
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    // A key half copied: cut in the middle of its armor.
    String armor = Files.readString(Tools.PGP_FIXTURES.resolve("charlie-public.asc"), StandardCharsets.US_ASCII);
    Files.writeString(keys.resolve("charlie-public.asc"), armor.substring(0, armor.length() / 2));
    Files.delete(keys.resolve("bob-public.asc"));
    later();
    assertThat(encryptToBob()).as("the old keys stay").isEqualTo(Status.ENCRYPTED);
    assertThat(reloads).containsExactly(true, false);
    // Not tried again while nothing changes.
    later();
    encryptToBob();
    assertThat(reloads).containsExactly(true, false);
    // Mended: the whole reading is taken, the removal of bob's key with it.
    put("charlie-public.asc", "charlie-public.asc");
    later();
    assertThat(encryptToBob()).isEqualTo(Status.MISSING_KEYS);
    assertThat(reloads).containsExactly(true, false, true);
  }

  @Test
  void secretKeyMaterialShouldBeRefused() throws IOException {
    put("bob-secret.asc", "bob-secret.asc");
    later();
    assertThat(encryptToBob()).isEqualTo(Status.MISSING_KEYS);
    assertThat(reloads).containsExactly(false);
  }

  @Test
  void aDirectoryThatGoesAwayShouldKeepTheKeysInForce() throws IOException {
    put("bob-public.asc", "bob-public.asc");
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    Path moved = tmp.resolve("elsewhere");
    Files.move(keys, moved);
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    assertThat(reloads).containsExactly(true, false);
    Files.move(moved, keys);
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    assertThat(reloads).containsExactly(true, false, true);
  }

  @Test
  void aFileBrokenFromTheStartShouldNotStopLaterKeys() throws IOException {
    Files.writeString(keys.resolve("broken.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 at all\n");
    watched = WatchedKeys.open(EncryptionSettings.of(keys, null), GatewayEncryptorTest.NOW, Duration.ofSeconds(2),
        nanos::get, reloads::add);
    put("bob-public.asc", "bob-public.asc");
    later();
    assertThat(encryptToBob()).isEqualTo(Status.ENCRYPTED);
    assertThat(reloads).containsExactly(true);
  }
}
