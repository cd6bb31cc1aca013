package org.caliop.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an S/MIME trust store ({@code trust.smime_trust_store}): a file of certificates (a PEM bundle, or one DER
 * certificate), or a directory whose regular, non-hidden files are such files (subdirectories are not read).
 */
public final class TrustStoreFiles {
  /** A trust store is a few CA certificates: a bigger file is a mistake, not a bundle. */
  private static final long MAX_FILE_BYTES = 16L << 20;

  private TrustStoreFiles() {
  }

  /**
   * @throws IOException when the path cannot be read, a file holds something other than certificates, or no
   *     certificate is found at all (a trust store that anchors nothing is a configuration error)
   */
  public static List<X509Certificate> read(Path store) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(store)) {
      try (DirectoryStream<Path> listing = Files.newDirectoryStream(store)) {
        for (Path p : listing) {
          if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
            files.add(p);
          }
        }
      }
      files.sort(null);
    } else {
      files.add(store);
    }
    List<X509Certificate> out = new ArrayList<>();
    for (Path f : files) {
      if (Files.size(f) > MAX_FILE_BYTES) {
        throw new IOException(f + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      try {
        for (Certificate c : CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(f)))) {
          out.add((X509Certificate) c);
        }
      } catch (CertificateException e) {
        throw new IOException(f + " holds no readable certificate: " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      throw new IOException(store + " holds no certificate");
    }
    return out;
  }
}
