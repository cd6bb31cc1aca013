<?php

// Configuration for the plugin's unit tests: no database, no IMAP server, the plugin only.
$config = [];
$config['db_dsnw'] = 'sqlite:///:memory:';
$config['plugins'] = [];
$config['log_driver'] = 'stdout';
$config['des_key'] = 'caliop-tests-only-0123456';
