import { Controller, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NAIVE_ENTITIES, NaiveEffect } from './naive.entities';

// The baseline's consumer: NestJS's own Kafka transport and an @EventPattern handler whose effect is
// a plain insert. No inbox: a message redelivered after a crash is handled (and inserted) again.

export const naiveTopic = (): string => process.env.NAIVE_TOPIC ?? 'bench.naive.concern-reports';

@Controller()
class NaiveConsumerController {
  constructor(@InjectRepository(NaiveEffect) private readonly effects: Repository<NaiveEffect>) {}

  @EventPattern(naiveTopic())
  async onFiled(@Payload() data: { id: string }): Promise<void> {
    await this.effects.insert({ reportId: data.id });
  }
}

@Module({})
export class NaiveConsumerModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: NaiveConsumerModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: databaseUrl,
          entities: NAIVE_ENTITIES,
          synchronize: false,
        }),
        TypeOrmModule.forFeature([NaiveEffect]),
      ],
      controllers: [NaiveConsumerController],
    };
  }
}
