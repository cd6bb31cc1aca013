<?php

use PHPUnit\Framework\TestCase;

/** The plugin's hooks, run against Debian's Roundcube classes. */
class CaliopTest extends TestCase
{
    private $rcmail;
    private $plugin;

    protected function setUp(): void
    {
        $this->rcmail = rcmail::get_instance();
        $this->rcmail->output = new rcmail_output_json();
        $this->rcmail->config->set('caliop_trusted_stampers', ['Mail.Example.org', '']);
        $this->plugin = new caliop($this->rcmail->plugins);
        $this->plugin->init();
    }

    private static function headers(array $others)
    {
        $h = new rcube_message_header();
        $h->others = $others;
        return $h;
    }

    public function testInitShouldRegisterTheStorageAndMessageHooks()
    {
        $hooks = $this->rcmail->plugins->handlers;
        $this->assertArrayHasKey('storage_init', $hooks);
        $this->assertArrayHasKey('message_load', $hooks);
    }

    public function testStorageInitShouldAskForOurFieldsOnceKeepingOthers()
    {
        $args = $this->plugin->storage_init(['fetch_headers' => 'X-SPAM-SCORE  CALIOP-HOP']);
        $this->assertSame('X-SPAM-SCORE CALIOP-HOP CALIOP-PRIVACY CALIOP-PATH', $args['fetch_headers']);
        $again = $this->plugin->storage_init($args);
        $this->assertSame($args['fetch_headers'], $again['fetch_headers']);
        $this->assertSame('CALIOP-PRIVACY CALIOP-PATH CALIOP-HOP', $this->plugin->storage_init([])['fetch_headers']);
    }

    public function testFieldsOfShouldTakeTheTopmostValueAndCountThem()
    {
        $fields = caliop::fields_of(self::headers([
            'caliop-privacy' => ['score=95, grade=A, v=1, by="mail.example.org"', 'score=0, grade=E, v=1'],
            'caliop-path' => 'firsthand;tls=TLSv1.3',
            'x-untrusted-caliop-privacy' => 'score=100, grade=A, v=1',
        ]));
        $this->assertSame('score=95, grade=A, v=1, by="mail.example.org"', $fields['privacy']);
        $this->assertSame('firsthand;tls=TLSv1.3', $fields['path']);
        $this->assertNull($fields['hop']);
        $this->assertSame(['privacy' => 2, 'path' => 1, 'hop' => 0], $fields['counts']);
    }

    public function testFieldsOfShouldCutHostileLengthsAndIgnoreNonStrings()
    {
        $long = 'score=95, grade=A, v=1, by="' . str_repeat('a', 100000) . '"';
        $fields = caliop::fields_of(self::headers(['caliop-privacy' => $long, 'caliop-hop' => [['nested'], 42]]));
        $this->assertSame(caliop::MAX_VALUE, strlen($fields['privacy']));
        $this->assertNull($fields['hop']);
        $this->assertSame(0, $fields['counts']['hop']);
        $this->assertSame(['counts' => ['privacy' => 0, 'path' => 0, 'hop' => 0], 'privacy' => null, 'path' => null, 'hop' => null],
            caliop::fields_of(null) + ['privacy' => null, 'path' => null, 'hop' => null]);
    }

    public function testStampersShouldBeLowerCaseDistinctAndBounded()
    {
        $this->assertSame(['mail.example.org', 'mx2.example.org'], caliop::stampers(' Mail.Example.org, mx2.example.org mail.example.org'));
        $this->assertSame(['mail.example.org'], caliop::stampers(['MAIL.example.org', '', null]));
        $this->assertSame([], caliop::stampers(null));
        $this->assertCount(caliop::MAX_STAMPERS, caliop::stampers(range(1, 100)));
        $this->assertSame([], caliop::stampers([str_repeat('a', 256)]));
    }

    public function testMessageLoadShouldHandTheFieldsToTheMessageViewOnly()
    {
        $message = new stdClass();
        $message->headers = self::headers(['caliop-privacy' => 'score=40, grade=C, v=1, by="mail.example.org"']);

        $this->rcmail->action = 'list';
        $this->plugin->message_load(['object' => $message]);
        $this->assertNull($this->rcmail->output->get_env('caliop'));

        foreach (['show', 'preview'] as $action) {
            $this->rcmail->output = new rcmail_output_json();
            $this->rcmail->action = $action;
            $args = $this->plugin->message_load(['object' => $message]);
            $this->assertSame($message, $args['object']);
            $env = $this->rcmail->output->get_env('caliop');
            $this->assertSame('score=40, grade=C, v=1, by="mail.example.org"', $env['privacy']);
            $this->assertSame(['mail.example.org'], $env['stampers']);
        }
    }
}
