package org.carnet.fhir.web;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HAPI FHIR's plain server as a servlet at {@code /fhir/*}: no paging store (pages are links with
 * {@code _offset}, so any node answers any page), JSON unless the client asks for XML, and every
 * error rewritten by {@link SafeErrors}.
 */
@Configuration(proxyBeanMethods = false)
class FhirServerConfiguration {

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(List<IResourceProvider> providers) {
        RestfulServer server = new CarnetRestfulServer(FhirContext.forR4Cached());
        server.setServerName("Carnet");
        server.setImplementationDescription("Carnet FHIR R4: the public directory and free slots");
        server.setResourceProviders(providers);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPageSize(SearchParams.DEFAULT_COUNT);
        server.registerInterceptor(new SafeErrors());
        server.registerInterceptor(new StrictRequests());
        server.registerInterceptor(new TruthfulCapabilities());
        server.registerInterceptor(new IdentitiesOutOfUrls());
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** HAPI's server without its {@code X-Powered-By} header: which server and version runs is nobody's business. */
    static final class CarnetRestfulServer extends RestfulServer {

        private static final long serialVersionUID = 1L;

        CarnetRestfulServer(FhirContext context) {
            super(context);
        }

        @Override
        public void addHeadersToResponse(HttpServletResponse response) {
            // no X-Powered-By
        }
    }
}
