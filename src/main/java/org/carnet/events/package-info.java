/**
 * The upkeep of Spring Modulith's event publication registry (table {@code event_publication}):
 * every event that an {@code @ApplicationModuleListener} must handle is stored, as plaintext JSON, in
 * the publishing transaction and removed once its listener has completed. This module retries the
 * publications whose listener failed; publications left over by a stopped node are republished when
 * the application starts. Events therefore carry ids, times, states and public directory data only.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package org.carnet.events;
