@org.jspecify.annotations.NullMarked
package org.carnet.notifications.web;
