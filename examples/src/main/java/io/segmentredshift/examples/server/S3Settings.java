package io.segmentredshift.examples.server;

import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * How to reach S3: AWS by default, or any S3-compatible store at {@code endpoint}. Credentials come
 * from the AWS SDK's default chain (environment, profile, instance role).
 *
 * @param endpoint an S3-compatible endpoint, or null for AWS
 * @param region the region, or null for the SDK's default chain (us-east-1 when it has none, or
 *     with a custom endpoint)
 */
record S3Settings(URI endpoint, String region) {
  /** A new client; the caller closes it. */
  S3Client client() {
    S3ClientBuilder builder = S3Client.builder().region(resolvedRegion());
    if (endpoint != null) {
      // Custom stores rarely serve virtual-hosted buckets (bucket.host): address them by path.
      builder.endpointOverride(endpoint).forcePathStyle(true);
    }
    return builder.build();
  }

  private Region resolvedRegion() {
    if (region != null) {
      return Region.of(region);
    }
    if (endpoint != null) {
      // S3-compatible stores mostly ignore the region, but the SDK signs with one.
      return Region.US_EAST_1;
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (RuntimeException e) {
      return Region.US_EAST_1;
    }
  }
}
