package io.corral.engine.sip.transaction;

import io.corral.engine.Context;
import io.corral.engine.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionConfigurationTest
{
    @Test
    void shouldUseRfcDefaultsWhenNothingIsConfigured()
    {
        final TransactionSettings settings = Context.load(null, new Properties()).conclude().transactionSettings();
        assertEquals(500, settings.t1Ms());
        assertEquals(4000, settings.t2Ms());
        assertEquals(5000, settings.t4Ms());
        assertEquals(32_000, settings.timerDMs());
        assertEquals(262_144, settings.capacity());
        assertEquals(1 << 29, settings.lingerBytes());
        assertEquals(1 << 22, settings.lingerEntries());
        assertEquals(512, settings.smallSlotBytes());
        assertEquals(65_536, settings.smallSlots());
        assertEquals(2048, settings.slotBytes());
        assertEquals(65_536, settings.slots());
        assertEquals(64, settings.largeSlots());
        assertEquals(8, settings.tickMs());
    }

    @Test
    void shouldTakeConfiguredValuesWhenSet()
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.transaction.t1.ms", "250");
        properties.setProperty("corral.transaction.capacity", "65536");
        final TransactionSettings settings = Context.load(null, properties).conclude().transactionSettings();
        assertEquals(250, settings.t1Ms());
        assertEquals(65536, settings.capacity());
    }

    @Test
    void shouldRejectWhenT2IsBelowT1OrCapacityIsNotAPowerOfTwoOrSlabIsTooLargeOrSmallSlotIsLarger()
    {
        final Properties t2 = new Properties();
        t2.setProperty("corral.transaction.t2.ms", "400");
        final String message = assertThrows(ConfigurationException.class,
            () -> Context.load(null, t2).conclude()).getMessage();
        assertTrue(message.contains("corral.transaction.t2.ms=400") && message.contains("corral.transaction.t1.ms"),
            message);

        final Properties capacity = new Properties();
        capacity.setProperty("corral.transaction.capacity", "1000");
        assertThrows(ConfigurationException.class, () -> Context.load(null, capacity).conclude());

        final Properties slab = new Properties();
        slab.setProperty("corral.transaction.capacity", "1048576");
        slab.setProperty("corral.transaction.slots", "1048576");
        slab.setProperty("corral.transaction.slot.bytes", "4096");
        final String slabMessage = assertThrows(ConfigurationException.class,
            () -> Context.load(null, slab).conclude()).getMessage();
        assertTrue(slabMessage.contains("corral.transaction.slots=1048576"), slabMessage);

        final Properties small = new Properties();
        small.setProperty("corral.transaction.small.slot.bytes", "4096");
        final String smallMessage = assertThrows(ConfigurationException.class,
            () -> Context.load(null, small).conclude()).getMessage();
        assertTrue(smallMessage.contains("corral.transaction.small.slot.bytes=4096") &&
            smallMessage.contains("corral.transaction.slot.bytes"), smallMessage);
    }
}
