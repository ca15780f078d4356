@org.jspecify.annotations.NullMarked
package org.carnet.accesslog.web;
