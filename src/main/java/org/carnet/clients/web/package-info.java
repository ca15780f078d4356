/** The clients API and pages, the authorization server's and {@code /fhir/**} security chains, discovery. */
@org.jspecify.annotations.NullMarked
package org.carnet.clients.web;
