/**
 * {@link io.segmentredshift.load.copy.S3CopyLoader}: stages rows on Amazon Redshift as gzip CSV
 * files on S3 and one {@code COPY ... MANIFEST} per table. Needs the AWS SDK v2 {@code s3} module
 * on the class path.
 */
package io.segmentredshift.load.copy;
