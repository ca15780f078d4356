/**
 * The public directory: establishments (FINESS), practitioners (RPPS, specialty) and their visit
 * motives, and the search of practitioners by specialty and place.
 */
package org.carnet.directory;
