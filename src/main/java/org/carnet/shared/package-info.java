/**
 * Shared kernel: the exceptions every module throws at its edge and how the API renders them as RFC
 * 7807 problem details. Kept small on purpose.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.carnet.shared;
