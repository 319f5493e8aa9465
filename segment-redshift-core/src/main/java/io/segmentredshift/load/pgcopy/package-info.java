/**
 * {@link io.segmentredshift.load.pgcopy.PostgresCopyLoader}: stages rows with PostgreSQL's {@code
 * COPY ... FROM STDIN} through pgjdbc's CopyManager. Needs pgjdbc on the class path.
 */
package io.segmentredshift.load.pgcopy;
