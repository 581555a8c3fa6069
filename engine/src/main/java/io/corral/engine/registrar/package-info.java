/**
 * Registrar and location service (RFC 3261 §10, RFC 3327 Path, RFC 5626 flows): {@link
 * io.corral.engine.registrar.Registrar} answers REGISTER over the {@code RegistrationStore}; {@link
 * io.corral.engine.registrar.LocationService} finds the contacts of a local address-of-record, in q order, with the
 * source and local socket they registered from so NATed contacts are reached through that flow.
 */
package io.corral.engine.registrar;
