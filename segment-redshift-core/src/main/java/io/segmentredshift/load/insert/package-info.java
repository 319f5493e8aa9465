/**
 * {@link io.segmentredshift.load.insert.PreparedInsertLoader}: stages rows with prepared multi-row
 * INSERT batches, on any warehouse and driver.
 */
package io.segmentredshift.load.insert;
