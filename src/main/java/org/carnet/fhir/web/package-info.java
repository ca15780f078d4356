/** The FHIR server, its resource providers and its URL rules. */
@org.jspecify.annotations.NullMarked
package org.carnet.fhir.web;
