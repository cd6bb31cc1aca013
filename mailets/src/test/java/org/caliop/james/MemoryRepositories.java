package org.caliop.james;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryPath;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.memory.MemoryMailRepository;

/** One memory repository behind every URL, remembering which URLs were asked for: James's store for mailet tests. */
public final class MemoryRepositories implements MailRepositoryStore {
  public final MemoryMailRepository repository = new MemoryMailRepository();
  public final List<MailRepositoryUrl> selected = new ArrayList<>();
  private final Map<MailRepositoryUrl, MailRepository> known = new HashMap<>();

  @Override
  public MailRepository select(MailRepositoryUrl url) {
    selected.add(url);
    known.put(url, repository);
    return repository;
  }

  @Override
  public Optional<Protocol> defaultProtocol() {
    return Optional.of(new Protocol("file"));
  }

  @Override
  public Optional<MailRepository> get(MailRepositoryUrl url) {
    return Optional.ofNullable(known.get(url));
  }

  @Override
  public Stream<MailRepository> getByPath(MailRepositoryPath path) {
    return known.values().stream();
  }

  @Override
  public Stream<MailRepositoryUrl> getUrls() {
    return known.keySet().stream();
  }
}
