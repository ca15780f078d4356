/** The exports API: requests, approvals, the recipient's one-time download. */
@org.jspecify.annotations.NullMarked
package org.carnet.exports.web;
