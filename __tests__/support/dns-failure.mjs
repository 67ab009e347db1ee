// Preloaded (node --import) into a process under test: the lookup of one host name fails with the getaddrinfo
// error a recording shows (FKC_TEST_DNS_FAILURE="EAI_AGAIN host"), so a DNS fault replays without a network.
import dns from 'node:dns';

const [code, host] = (process.env.FKC_TEST_DNS_FAILURE ?? '').split(' ');
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  if (code && hostname === host) {
    const error = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, syscall: 'getaddrinfo', hostname });
    process.nextTick(done, error);
    return {};
  }
  return lookup.apply(this, arguments);
};
