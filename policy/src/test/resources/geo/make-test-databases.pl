#!/usr/bin/perl
# Writes the two small IP-to-country databases caliop's tests use, one per schema caliop reads:
#   test-country.mmdb       MaxMind/GeoLite2 and DB-IP schema: {"country": {"iso_code": "DE"}}
#   test-country-flat.mmdb  ip-location-db schema:             {"country_code": "DE"}
# Only loopback and documentation ranges (RFC 5737, RFC 3849), with made-up countries: tests cannot use public
# addresses, and no public database is shipped. Debian: apt-get install libmaxmind-db-writer-perl
#   cd policy/src/test/resources/geo && perl make-test-databases.pl
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my %networks = (
    '127.0.0.1/32'    => 'NL',  # the loopback test client of the Postfix and James tests
    '192.0.2.0/24'    => 'DE',  # TEST-NET-1
    '198.51.100.0/24' => 'RU',  # TEST-NET-2
    '203.0.113.0/24'  => 'US',  # TEST-NET-3
    '2001:db8::/32'   => 'FR',  # IPv6 documentation
);

sub write_db {
    my ($file, $type, $record) = @_;
    my %types = (country => 'map', iso_code => 'utf8_string', country_code => 'utf8_string');
    my $tree = MaxMind::DB::Writer::Tree->new(
        ip_version               => 6,
        record_size              => 24,
        database_type            => $type,
        languages                => ['en'],
        description              => { en => 'caliop test database: documentation ranges only, made-up countries' },
        map_key_type_callback    => sub { $types{ $_[0] } },
        remove_reserved_networks => 0,
        alias_ipv6_to_ipv4       => 1,
    );
    for my $net (sort keys %networks) {
        $tree->insert_network($net, $record->($networks{$net}));
    }
    open my $fh, '>:raw', $file or die "$file: $!";
    $tree->write_tree($fh);
    close $fh or die "$file: $!";
}

write_db('test-country.mmdb', 'Caliop-Test-Country', sub { { country => { iso_code => $_[0] } } });
write_db('test-country-flat.mmdb', 'Caliop-Test-Country-Flat', sub { { country_code => $_[0] } });
