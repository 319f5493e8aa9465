package io.segmentredshift.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The files a COPY reads: a manifest's entries or every object under a key prefix. */
final class S3Files {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One object to load. */
  record S3File(String bucket, String key) {
    String url() {
      return "s3://" + bucket + "/" + key;
    }

    static S3File parse(String url) {
      String path = url.substring("s3://".length());
      int slash = path.indexOf('/');
      return new S3File(path.substring(0, slash), path.substring(slash + 1));
    }
  }

  private S3Files() {}

  /** The files in load order; fails when a mandatory entry or every file is missing. */
  static List<S3File> resolve(S3Client s3, CopyCommand copy) throws SQLException {
    S3File source = S3File.parse(copy.source());
    List<S3File> files = copy.manifest() ? fromManifest(s3, source) : underPrefix(s3, source);
    if (files.isEmpty()) {
      throw failure(
          copy.manifest()
              ? "COPY: no file of the manifest '" + source.url() + "' was found"
              : "COPY: the specified S3 prefix '" + source.key() + "' does not exist");
    }
    return files;
  }

  private static List<S3File> fromManifest(S3Client s3, S3File manifest) throws SQLException {
    JsonNode root;
    try (InputStream in = s3.getObject(b -> b.bucket(manifest.bucket()).key(manifest.key()))) {
      root = JSON.readTree(in);
    } catch (S3Exception e) {
      throw failure("COPY: the manifest '" + manifest.url() + "' cannot be read: " + reason(e));
    } catch (IOException | SdkException e) {
      throw failure("COPY: the manifest '" + manifest.url() + "' is not valid JSON");
    }
    JsonNode entries = root == null ? null : root.get("entries");
    if (entries == null || !entries.isArray()) {
      throw failure("COPY: the manifest '" + manifest.url() + "' has no \"entries\" array");
    }
    List<S3File> files = new ArrayList<>();
    for (JsonNode entry : entries) {
      JsonNode url = entry.get("url");
      if (url == null || !url.isTextual()) {
        throw failure("COPY: a manifest entry has no \"url\"");
      }
      String text = url.asText();
      if (!text.startsWith("s3://") || text.indexOf('/', 5) < 0 || text.endsWith("/")) {
        throw failure("COPY: COPY with MANIFEST requires full S3 object paths, not '" + text + "'");
      }
      S3File file = S3File.parse(text);
      if (exists(s3, file)) {
        files.add(file);
      } else if (entry.path("mandatory").asBoolean(false)) {
        throw failure("COPY: the mandatory manifest entry '" + text + "' was not found");
      }
    }
    return files;
  }

  private static boolean exists(S3Client s3, S3File file) throws SQLException {
    try {
      s3.headObject(b -> b.bucket(file.bucket()).key(file.key()));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failure("COPY: '" + file.url() + "' cannot be read: " + reason(e));
    }
  }

  private static List<S3File> underPrefix(S3Client s3, S3File prefix) throws SQLException {
    List<S3File> files = new ArrayList<>();
    try {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder().bucket(prefix.bucket()).prefix(prefix.key()).build();
      for (var page : s3.listObjectsV2Paginator(request)) {
        for (S3Object object : page.contents()) {
          // Zero-byte "folder" markers are not data.
          if (!(object.key().endsWith("/") && object.size() == 0)) {
            files.add(new S3File(prefix.bucket(), object.key()));
          }
        }
      }
    } catch (S3Exception e) {
      throw failure("COPY: '" + prefix.url() + "' cannot be listed: " + reason(e));
    }
    return files;
  }

  /** The object's bytes, gunzipped when asked. */
  static InputStream open(S3Client s3, S3File file, boolean gzip) throws SQLException {
    InputStream in;
    try {
      in = s3.getObject(b -> b.bucket(file.bucket()).key(file.key()));
    } catch (S3Exception e) {
      throw failure("COPY: '" + file.url() + "' cannot be read: " + reason(e));
    }
    try {
      InputStream buffered = new BufferedInputStream(in, 64 * 1024);
      return gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 64 * 1024)) : buffered;
    } catch (IOException e) {
      closeQuietly(in);
      throw failure("COPY: '" + file.url() + "' is not gzip data (GZIP was given)");
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // the stream is abandoned after a failure that is being reported already
    }
  }

  private static String reason(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return "S3 status " + e.statusCode() + (code == null ? "" : " " + code);
  }

  static SQLException failure(String message) {
    return new SQLException(message, "XX000");
  }
}
