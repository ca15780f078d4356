/**
 * Shared kernel, the words every module speaks: who acts ({@link org.carnet.shared.Actor}), on whose
 * data ({@link org.carnet.shared.PatientRef}), typed ids, what an access does ({@link
 * org.carnet.shared.Action}), to which {@link org.carnet.shared.Field}s (each in a {@link
 * org.carnet.shared.DataCategory}) of which {@link org.carnet.shared.Resource}, and why ({@link
 * org.carnet.shared.Purpose}); the exceptions every module throws at its edge and how the API renders
 * them as RFC 7807 problem details. Kept small on purpose.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
@org.jspecify.annotations.NullMarked
package org.carnet.shared;
