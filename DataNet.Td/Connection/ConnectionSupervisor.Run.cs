using System;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td.Connection;

internal sealed partial class ConnectionSupervisor
{
    /// <summary>
    /// One Start's loop. Stop retires it under the supervisor's gate and returns at once; from then on every touch of
    /// shared state by this loop (state, sink, outbox, subscriptions, counters) is refused, while the loop itself
    /// winds down in the background: cancelled, its socket aborted, its token source and wake signal disposed only
    /// once it has ended. Its own wake signal keeps a retired loop from taking a new loop's wake-ups.
    /// </summary>
    private sealed class Run : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private readonly object _endGate = new();
        private bool _ended;
        private volatile bool _retired;
        private IWebSocketTransport? _transport;

        public Run() => Token = _cancel.Token;

        public CancellationToken Token { get; }

        /// <summary>Set when anything wants the loop to look now; released by <see cref="Wake"/>.</summary>
        public SemaphoreSlim WakeSignal { get; } = new(0, int.MaxValue);

        public Task? Loop { get; set; }

        /// <summary>Set under the supervisor's gate by Stop; nothing of this run reaches shared state after.</summary>
        public bool Retired => _retired;

        /// <summary>Retired, or told to stop: the loop only winds down now.</summary>
        public bool IsStopped => _retired || Token.IsCancellationRequested;

        /// <summary>The connected session, whose in-flight publishes Stop settles when it retires the run.</summary>
        public Session? Connected { get; set; }

        /// <summary>A publish taken from the outbox whose send has not finished yet.</summary>
        public string? InHand { get; set; }

        public void Retire() => _retired = true;

        public void ThrowIfStopped()
        {
            if (IsStopped)
            {
                throw new OperationCanceledException(Token);
            }
        }

        /// <summary>The socket this run has open now, so Stop can abort it.</summary>
        public void Opened(IWebSocketTransport transport)
        {
            Interlocked.Exchange(ref _transport, transport);
            if (_retired)
            {
                transport.Dispose();
            }
        }

        public void Wake()
        {
            try
            {
                if (WakeSignal.CurrentCount == 0)
                {
                    WakeSignal.Release();
                }
            }
            catch (ObjectDisposedException)
            {
                // A wake-up racing the loop's end: nothing is listening any more.
            }
        }

        /// <summary>Aborts the open socket, if any: no close handshake, so it never blocks.</summary>
        public void AbortSocket() => Volatile.Read(ref _transport)?.Dispose();

        /// <summary>Stop's part off the caller's thread: cancel every wait (continuations may run inline here).</summary>
        public void WindDown()
        {
            lock (_endGate)
            {
                if (!_ended)
                {
                    _cancel.Cancel();
                }
            }
        }

        /// <summary>Only once the loop has ended: nothing awaits the token or the signal any more.</summary>
        public void Dispose()
        {
            lock (_endGate)
            {
                _ended = true;
                _cancel.Dispose();
                WakeSignal.Dispose();
            }
        }
    }
}
