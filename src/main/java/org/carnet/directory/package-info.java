/**
 * The public directory: establishments (FINESS), practitioners (RPPS, specialty) and their visit
 * motives, and the search of practitioners by specialty and place.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"access", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.directory;
