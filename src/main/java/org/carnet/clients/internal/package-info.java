/** The clients module's stores and the authorization server's parts (keys, tokens, assertions). */
@org.jspecify.annotations.NullMarked
package org.carnet.clients.internal;
