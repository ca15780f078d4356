/** Synthetic demo data for the embedded default: establishments, practitioners, agendas and demo accounts. */
package org.carnet.demo;
