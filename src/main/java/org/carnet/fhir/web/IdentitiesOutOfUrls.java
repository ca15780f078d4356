package org.carnet.fhir.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A Patient search names a person (their NIR, or name and birth date), so it travels in a POST body
 * ({@code POST /fhir/Patient/_search}), never in a URL, and its answer carries no link that would put
 * it back into one: HAPI writes the search's parameters into the Bundle's {@code self}, {@code next} and
 * {@code previous} links; they are cut to the bare address, and the next page is asked by POST again
 * with {@code _offset}.
 */
@Interceptor
final class IdentitiesOutOfUrls {

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean withoutParameters(RequestDetails request, IBaseResource resource) {
        if (request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE
                && "Patient".equals(request.getResourceName())
                && resource instanceof Bundle bundle) {
            bundle.getLink().clear();
            bundle.addLink().setRelation(Bundle.LINK_SELF).setUrl(request.getFhirServerBase() + "/Patient/_search");
        }
        return true;
    }
}
