@org.jspecify.annotations.NullMarked
package org.carnet.privacy.web;
