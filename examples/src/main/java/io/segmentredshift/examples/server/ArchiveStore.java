package io.segmentredshift.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A tree of files under a root, local or in S3, listed one level at a time: S3 lists by prefix and
 * delimiter, so only the days in range are ever listed, not the whole archive.
 *
 * <p>Paths are relative to the root, {@code /}-separated; a directory path ends in {@code /} (the
 * root is {@code ""}).
 */
sealed interface ArchiveStore permits ArchiveStore.Local, ArchiveStore.S3 {
  /** A file as listed. */
  record Entry(String path, long size, String version) {}

  /** The names of the directories directly under {@code dir}. */
  List<String> directories(String dir);

  /** The files directly under {@code dir}. */
  List<Entry> files(String dir);

  /** Opens a file for reading; the caller closes the stream. */
  InputStream open(String path) throws IOException;

  /** The file's location for messages. */
  String location(String path);

  /** The names of the root's last path segments, nearest last (e.g. [.., segment-logs, src]). */
  List<String> rootNames();

  /** Opens {@code archive}: a directory, or a bucket and prefix through {@code client}. */
  static ArchiveStore of(ArchiveLocation archive, S3Client client) {
    return archive.s3()
        ? new S3(client, archive.bucket(), archive.prefix())
        : new Local(archive.directory());
  }

  /** A local directory tree. */
  record Local(Path root) implements ArchiveStore {
    @Override
    public List<String> directories(String dir) {
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> children = Files.newDirectoryStream(root.resolve(dir))) {
        for (Path child : children) {
          if (Files.isDirectory(child)) {
            names.add(child.getFileName().toString());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + root.resolve(dir), e);
      }
      return names;
    }

    @Override
    public List<Entry> files(String dir) {
      List<Entry> files = new ArrayList<>();
      try (DirectoryStream<Path> children = Files.newDirectoryStream(root.resolve(dir))) {
        for (Path child : children) {
          BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
          if (attributes.isRegularFile()) {
            files.add(
                new Entry(
                    dir + child.getFileName(),
                    attributes.size(),
                    "mtime:" + attributes.lastModifiedTime().toMillis()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + root.resolve(dir), e);
      }
      return files;
    }

    @Override
    public InputStream open(String path) throws IOException {
      return Files.newInputStream(root.resolve(path));
    }

    @Override
    public String location(String path) {
      return root.resolve(path).toString();
    }

    @Override
    public List<String> rootNames() {
      List<String> names = new ArrayList<>();
      for (Path p : root.toAbsolutePath().normalize()) {
        names.add(p.toString());
      }
      return names;
    }
  }

  /** A bucket and key prefix (empty, or ending in {@code /}). */
  record S3(S3Client client, String bucket, String prefix) implements ArchiveStore {
    @Override
    public List<String> directories(String dir) {
      List<String> names = new ArrayList<>();
      for (ListObjectsV2Response page : list(dir)) {
        for (CommonPrefix common : page.commonPrefixes()) {
          String full = common.prefix();
          String name = full.substring(prefix.length() + dir.length(), full.length() - 1);
          if (!name.isEmpty()) {
            names.add(name);
          }
        }
      }
      return names;
    }

    @Override
    public List<Entry> files(String dir) {
      List<Entry> files = new ArrayList<>();
      for (ListObjectsV2Response page : list(dir)) {
        for (S3Object object : page.contents()) {
          String path = object.key().substring(prefix.length());
          if (!path.endsWith("/")) {
            files.add(new Entry(path, object.size(), "etag:" + unquote(object.eTag())));
          }
        }
      }
      return files;
    }

    private Iterable<ListObjectsV2Response> list(String dir) {
      return client.listObjectsV2Paginator(
          ListObjectsV2Request.builder()
              .bucket(bucket)
              .prefix(prefix + dir)
              .delimiter("/")
              .build());
    }

    @Override
    public InputStream open(String path) throws IOException {
      try {
        return client.getObject(b -> b.bucket(bucket).key(prefix + path));
      } catch (SdkException e) {
        throw new IOException("cannot read " + location(path) + ": " + e.getMessage(), e);
      }
    }

    @Override
    public String location(String path) {
      return "s3://" + bucket + "/" + prefix + path;
    }

    @Override
    public List<String> rootNames() {
      List<String> names = new ArrayList<>();
      for (String part : prefix.split("/")) {
        if (!part.isEmpty()) {
          names.add(part);
        }
      }
      return names;
    }

    private static String unquote(String etag) {
      return etag == null ? "" : etag.replace("\"", "");
    }
  }
}
