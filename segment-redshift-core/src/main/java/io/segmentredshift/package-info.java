/**
 * Segment events into Amazon Redshift or PostgreSQL, laid out like Segment's own warehouse sync.
 * {@code SegmentRedshift} is the one entry point.
 */
package io.segmentredshift;
