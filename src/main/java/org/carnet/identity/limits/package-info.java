/**
 * Rate limits shared by every node: Bucket4j token buckets kept in the database (table
 * {@code rate_limit_buckets}), keyed by what is limited and the source network.
 */
@org.jspecify.annotations.NullMarked
package org.carnet.identity.limits;
