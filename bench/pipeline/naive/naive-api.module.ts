import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnModuleInit,
  Post,
} from '@nestjs/common';
import { ClientKafka, ClientsModule, Transport } from '@nestjs/microservices';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { Repository } from 'typeorm';
import { NAIVE_ENTITIES, NaiveReport } from './naive.entities';
import { KAFKA_CLIENT, NAIVE_ENV, type NaiveEnv } from './naive.env';

// The baseline as most NestJS teams write it: validate, save with TypeORM, then ClientKafka.emit
// (fire and forget, after the commit). No outbox: a crash between save and emit loses the event,
// and nothing ever notices.

class ChildDto {
  @Matches(/^\d{12}$/) personnummer: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}
class UnitDto {
  @Matches(/^\d{8}$/) schoolUnitCode: string;
}
class ReporterDto {
  @IsString() role: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}
export class NaiveReportDto {
  @ValidateNested() @Type(() => ChildDto) child: ChildDto;
  @ValidateNested() @Type(() => UnitDto) reportingUnit: UnitDto;
  @ValidateNested() @Type(() => ReporterDto) reporter: ReporterDto;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) categories: string[];
  @IsString() @IsNotEmpty() @MaxLength(10_000) description: string;
  @IsBoolean() immediateDanger: boolean;
}

@Injectable()
class NaiveReportsService implements OnModuleInit {
  constructor(
    @InjectRepository(NaiveReport) private readonly reports: Repository<NaiveReport>,
    @Inject(KAFKA_CLIENT) private readonly kafka: ClientKafka,
    @Inject(NAIVE_ENV) private readonly env: NaiveEnv,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.kafka.connect();
  }

  async file(dto: NaiveReportDto): Promise<{ id: string }> {
    const id = randomUUID();
    await this.reports.insert({
      id,
      personnummer: dto.child.personnummer,
      childName: dto.child.name,
      schoolUnitCode: dto.reportingUnit.schoolUnitCode,
      reporterName: dto.reporter.name,
      categories: dto.categories,
      description: dto.description,
      immediateDanger: dto.immediateDanger,
    });
    this.kafka.emit(this.env.topic, { key: dto.child.personnummer, value: { id, ...dto } });
    return { id };
  }
}

@Controller()
class NaiveReportsController {
  constructor(@Inject(NaiveReportsService) private readonly service: NaiveReportsService) {}

  @Post('concern-reports')
  file(@Body() dto: NaiveReportDto): Promise<{ id: string }> {
    return this.service.file(dto);
  }

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({})
export class NaiveApiModule {
  static forRoot(env: NaiveEnv): DynamicModule {
    return {
      module: NaiveApiModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: env.databaseUrl,
          entities: NAIVE_ENTITIES,
          synchronize: true,
          extra: { max: 20 },
        }),
        TypeOrmModule.forFeature([NaiveReport]),
        ClientsModule.register([
          {
            name: KAFKA_CLIENT,
            transport: Transport.KAFKA,
            options: {
              client: {
                clientId: 'naive-api',
                brokers: env.brokers,
                sasl: { mechanism: 'scram-sha-256', username: env.username, password: env.password },
              },
              producerOnlyMode: true,
            },
          },
        ]),
      ],
      controllers: [NaiveReportsController],
      providers: [NaiveReportsService, { provide: NAIVE_ENV, useValue: env }],
    };
  }
}
