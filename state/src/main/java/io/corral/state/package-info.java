/**
 * State of a Corral member kept in persisted Chronicle Maps under {@code <corral.data.dir>/state}: fixed-layout
 * records that carry their owner member id, a version from the {@link io.corral.state.HybridLogicalClock} and an
 * expiry. Every change is told to a {@link io.corral.state.StateChangeListener} (the change log). This module
 * imports nothing of Corral's: the engine hands it typed configuration.
 */
package io.corral.state;
