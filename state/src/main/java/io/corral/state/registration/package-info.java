/**
 * Registrations (RFC 3261 §10): the bindings of each address-of-record to its contacts, in a persisted Chronicle
 * Map keyed by the normalised address-of-record, with fixed-layout records ({@link
 * io.corral.state.registration.RegistrationDescriptor}), hybrid-logical-clock versions and an expiry sweep.
 */
package io.corral.state.registration;
