package org.carnet.shared;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * The errors the container answers itself (a request the firewall rejects before any controller, such
 * as an encoded {@code %} in the path) say what failed but not the path: it carries what the client
 * sent, which an error must not echo (HostileInputIntegrationTest).
 */
@Component
class ErrorsWithoutPath extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        attributes.remove("path");
        return attributes;
    }
}
