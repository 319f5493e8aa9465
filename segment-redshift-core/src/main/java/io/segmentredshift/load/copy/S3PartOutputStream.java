package io.segmentredshift.load.copy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Streams one S3 object: bytes are buffered up to {@code chunkBytes}; an object that fits one chunk
 * is sent with a single PUT, a larger one as a multipart upload whose parts are the chunks (S3
 * wants at least 5 MiB per part but the last). A failed multipart upload is aborted, so no parts
 * are left behind. Memory: one chunk.
 */
final class S3PartOutputStream extends OutputStream {
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final byte[] chunk;
  private final List<CompletedPart> parts = new ArrayList<>();
  private int pos;
  private long size;
  private String uploadId;
  private boolean closed;

  S3PartOutputStream(S3Client s3, String bucket, String key, int chunkBytes) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.chunk = new byte[chunkBytes];
  }

  /** The bytes written so far. */
  long size() {
    return size + pos;
  }

  @Override
  public void write(int b) throws IOException {
    if (pos == chunk.length) {
      uploadChunk();
    }
    chunk[pos++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (pos == chunk.length) {
        uploadChunk();
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(b, off, chunk, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  private void uploadChunk() {
    try {
      if (uploadId == null) {
        uploadId =
            s3.createMultipartUpload(
                    CreateMultipartUploadRequest.builder().bucket(bucket).key(key).build())
                .uploadId();
      }
      int number = parts.size() + 1;
      String etag =
          s3.uploadPart(
                  UploadPartRequest.builder()
                      .bucket(bucket)
                      .key(key)
                      .uploadId(uploadId)
                      .partNumber(number)
                      .build(),
                  RequestBody.fromBytes(Arrays.copyOf(chunk, pos)))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      size += pos;
      pos = 0;
    } catch (RuntimeException e) {
      abort(e);
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (uploadId == null) {
      s3.putObject(
          PutObjectRequest.builder().bucket(bucket).key(key).build(),
          RequestBody.fromBytes(Arrays.copyOf(chunk, pos)));
      size += pos;
      pos = 0;
      return;
    }
    if (pos > 0) {
      uploadChunk();
    }
    try {
      s3.completeMultipartUpload(
          CompleteMultipartUploadRequest.builder()
              .bucket(bucket)
              .key(key)
              .uploadId(uploadId)
              .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
              .build());
    } catch (RuntimeException e) {
      abort(e);
      throw e;
    }
  }

  /** Gives up: aborts a started multipart upload. */
  void abort(RuntimeException cause) {
    closed = true;
    if (uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
    } catch (RuntimeException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    } finally {
      uploadId = null;
    }
  }
}
