package io.segmentredshift.examples.loader;

import com.amazon.redshift.ds.RedshiftSimpleDataSource;
import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.copy.S3CopyLoader;
import java.sql.SQLException;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The library on Amazon Redshift: rows are staged as gzip CSV files in an S3 bucket and loaded with
 * {@code COPY ... IAM_ROLE ... MANIFEST}, Redshift's fast path (row INSERTs are slow there).
 *
 * <p>Settings from the environment: {@code REDSHIFT_URL} ({@code
 * jdbc:redshift://CLUSTER.REGION.redshift.amazonaws.com:5439/DATABASE}), {@code REDSHIFT_USER},
 * {@code REDSHIFT_PASSWORD}, {@code S3_BUCKET} (where the files are staged, under {@code
 * segment-redshift/}), {@code IAM_ROLE} (the ARN of a role attached to the cluster that may read
 * them). The S3 client takes the AWS SDK's usual credentials and region (environment, profile,
 * instance role). It loads the two sample events of {@link LoaderExample}.
 */
public final class RedshiftCopyExample {
  private RedshiftCopyExample() {}

  /**
   * Loads {@link LoaderExample#sampleEvents()} into Redshift and prints what it did.
   *
   * @param args none
   * @throws SQLException when the JDBC URL is not a Redshift URL
   */
  public static void main(String[] args) throws SQLException {
    RedshiftSimpleDataSource redshift = new RedshiftSimpleDataSource();
    redshift.setURL(System.getenv("REDSHIFT_URL"));
    redshift.setUser(System.getenv("REDSHIFT_USER"));
    redshift.setPassword(System.getenv("REDSHIFT_PASSWORD"));
    try (S3Client s3 = S3Client.create();
        SegmentRedshift segment =
            open(redshift, s3, System.getenv("S3_BUCKET"), System.getenv("IAM_ROLE"))) {
      LoaderExample.print(segment.load(LoaderExample.sampleEvents()));
    }
  }

  /**
   * A {@link SegmentRedshift} that loads into Redshift through S3.
   *
   * @param redshift the cluster
   * @param s3 a client that may put and delete objects under {@code bucket/segment-redshift/}
   * @param bucket the staging bucket, in the cluster's region
   * @param iamRole the role the COPY runs as
   * @return the instance; the caller closes it
   */
  public static SegmentRedshift open(
      DataSource redshift, S3Client s3, String bucket, String iamRole) {
    S3CopyLoader copy =
        S3CopyLoader.builder(s3, bucket)
            .prefix("segment-redshift/") // staged files are deleted after each load
            .iamRole(iamRole)
            .build();
    return SegmentRedshift.builder(redshift)
        // Detected from a jdbc:redshift: URL; said here so that pgjdbc connections work too.
        .dialect(Dialect.redshift())
        .schema("segment")
        .loader(copy)
        .build();
  }
}
