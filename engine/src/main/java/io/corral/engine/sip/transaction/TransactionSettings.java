package io.corral.engine.sip.transaction;

/**
 * The values a {@link TransactionLayer} is built with; defaults are those of {@link TransactionConfiguration}.
 * Set once at start-up (fluent setters), then read-only.
 */
public final class TransactionSettings
{
    private long t1Ms = 500;
    private long t2Ms = 4000;
    private long t4Ms = 5000;
    private long timerDMs = 32_000;
    private int capacity = 262_144;
    private int lingerBytes = 1 << 29;
    private int lingerEntries = 1 << 22;
    private int smallSlotBytes = 512;
    private int smallSlots = 65_536;
    private int slotBytes = 2048;
    private int slots = 65_536;
    private int largeSlots = 64;
    private int tickMs = 8;

    /**
     * @return T1 in ms.
     */
    public long t1Ms()
    {
        return t1Ms;
    }

    /**
     * @param t1Ms T1 in ms.
     * @return this.
     */
    public TransactionSettings t1Ms(final long t1Ms)
    {
        this.t1Ms = t1Ms;
        return this;
    }

    /**
     * @return T2 in ms.
     */
    public long t2Ms()
    {
        return t2Ms;
    }

    /**
     * @param t2Ms T2 in ms.
     * @return this.
     */
    public TransactionSettings t2Ms(final long t2Ms)
    {
        this.t2Ms = t2Ms;
        return this;
    }

    /**
     * @return T4 in ms.
     */
    public long t4Ms()
    {
        return t4Ms;
    }

    /**
     * @param t4Ms T4 in ms.
     * @return this.
     */
    public TransactionSettings t4Ms(final long t4Ms)
    {
        this.t4Ms = t4Ms;
        return this;
    }

    /**
     * @return timer D on UDP in ms.
     */
    public long timerDMs()
    {
        return timerDMs;
    }

    /**
     * @param timerDMs timer D on UDP in ms.
     * @return this.
     */
    public TransactionSettings timerDMs(final long timerDMs)
    {
        this.timerDMs = timerDMs;
        return this;
    }

    /**
     * @return transactions held at once.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @param capacity transactions held at once.
     * @return this.
     */
    public TransactionSettings capacity(final int capacity)
    {
        this.capacity = capacity;
        return this;
    }

    /**
     * @return bytes of the ring of lingering transactions.
     */
    public int lingerBytes()
    {
        return lingerBytes;
    }

    /**
     * @param lingerBytes of the ring of lingering transactions, a power of two.
     * @return this.
     */
    public TransactionSettings lingerBytes(final int lingerBytes)
    {
        this.lingerBytes = lingerBytes;
        return this;
    }

    /**
     * @return lingering transactions kept at most.
     */
    public int lingerEntries()
    {
        return lingerEntries;
    }

    /**
     * @param lingerEntries lingering transactions kept at most, a power of two.
     * @return this.
     */
    public TransactionSettings lingerEntries(final int lingerEntries)
    {
        this.lingerEntries = lingerEntries;
        return this;
    }

    /**
     * @return bytes of a small message slot.
     */
    public int smallSlotBytes()
    {
        return smallSlotBytes;
    }

    /**
     * @param smallSlotBytes bytes of a small message slot, at most {@link #slotBytes()}.
     * @return this.
     */
    public TransactionSettings smallSlotBytes(final int smallSlotBytes)
    {
        this.smallSlotBytes = smallSlotBytes;
        return this;
    }

    /**
     * @return small message slots.
     */
    public int smallSlots()
    {
        return smallSlots;
    }

    /**
     * @param smallSlots small message slots.
     * @return this.
     */
    public TransactionSettings smallSlots(final int smallSlots)
    {
        this.smallSlots = smallSlots;
        return this;
    }

    /**
     * @return standard message slots.
     */
    public int slots()
    {
        return slots;
    }

    /**
     * @param slots standard message slots.
     * @return this.
     */
    public TransactionSettings slots(final int slots)
    {
        this.slots = slots;
        return this;
    }

    /**
     * @return bytes of a standard message slot.
     */
    public int slotBytes()
    {
        return slotBytes;
    }

    /**
     * @param slotBytes bytes of a standard message slot.
     * @return this.
     */
    public TransactionSettings slotBytes(final int slotBytes)
    {
        this.slotBytes = slotBytes;
        return this;
    }

    /**
     * @return shared 64 KiB slots for large messages.
     */
    public int largeSlots()
    {
        return largeSlots;
    }

    /**
     * @param largeSlots shared 64 KiB slots for large messages.
     * @return this.
     */
    public TransactionSettings largeSlots(final int largeSlots)
    {
        this.largeSlots = largeSlots;
        return this;
    }

    /**
     * @return timer wheel tick in ms, a power of two.
     */
    public int tickMs()
    {
        return tickMs;
    }

    /**
     * @param tickMs timer wheel tick in ms, a power of two.
     * @return this.
     */
    public TransactionSettings tickMs(final int tickMs)
    {
        this.tickMs = tickMs;
        return this;
    }
}
