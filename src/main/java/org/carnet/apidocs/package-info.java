/**
 * The OpenAPI description of {@code /api/v1}: what springdoc reads from the controllers' annotations,
 * completed here once for every operation: problem details for each error status, the bearer scheme,
 * the Accept-Language and rate-limit headers, nullable and required fields of records, examples.
 * Controllers only say which statuses an operation answers and why.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package org.carnet.apidocs;
