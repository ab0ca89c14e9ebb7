#!/usr/bin/perl
# A minimal HTTP server for the pod runner's probe tests: GET /anything answers 200 "ok", or 500 while the file
# /tmp/fail/anything exists, so a test turns a probe's result with `touch` in the container. One request at a time.
use strict;
use warnings;
use IO::Socket::INET;

$SIG{TERM} = sub { exit 0 };
my $server = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => $ARGV[0], Listen => 16, ReuseAddr => 1)
    or die "cannot listen on port $ARGV[0]: $!";
while (my $client = $server->accept) {
    my $request = <$client> // '';
    my ($path) = $request =~ m{^GET (\S+)};
    while (my $line = <$client>) {
        last if $line =~ /^\r?\n$/;
    }
    $path //= '/';
    my $failing = -e "/tmp/fail$path";
    my $body = $failing ? "failing\n" : "ok\n";
    print $client 'HTTP/1.1 ' . ($failing ? '500 Internal Server Error' : '200 OK')
        . "\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\nConnection: close\r\n\r\n" . $body;
    close $client;
}
